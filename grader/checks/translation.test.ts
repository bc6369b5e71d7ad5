// NAT on the router (issue 25 item 4): what the target VM shows of the source it saw.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseRouteGet } from '../parse/ip-route.ts';
import { parseIperf3Json } from '../parse/iperf3.ts';
import { serverWitness } from './kinds/iperf.ts';
import { peerWitness, routeBackWitness, type TranslationEnds } from './translation.ts';
import { heardWitnesses, SOURCE_SEEN } from './witnesses.ts';

// VM1 at 10.0.2.3 sends to VM3; the router's internal addresses.
const ends: TranslationEnds = { source: { role: 'vm1', address: '10.0.2.3' }, target: 'vm3', routerAddresses: ['10.0.1.1', '10.0.2.254'] };
const pass = { status: 'pass' as const, reason: 'replied', subject: { target: '10.0.3.3' }, message: '10.0.3.3 answers: 5/5 replies', actual: '5/5 replies', evidence: [] };

describe("the target's route back to the source", () => {
  it('names a translation when it goes elsewhere than the router, or nowhere', () => {
    const management = routeBackWitness(parseRouteGet(fixture('ip-route/get-via-management.txt'), '10.0.2.3'), ends);
    expect(management).toMatchObject({ name: SOURCE_SEEN, agrees: false });
    expect(management!.detail).toBe(
      "VM3's route to 10.0.2.3 goes via 192.168.122.1 dev enp1s0, not via the router, yet its answers came back through the router: they went to the router's own address, so the router rewrites the source address (NAT) instead of routing",
    );
    expect(routeBackWitness(parseRouteGet(fixture('ip-route/get-unreachable.txt'), '10.0.2.3'), ends)?.detail).toMatch(/^VM3's route to 10\.0\.2\.3 is unreachable, yet/);
  });

  it('says nothing when it goes via any of the router\'s addresses (routing as asked)', () => {
    expect(routeBackWitness(parseRouteGet(fixture('ip-route/get-via-router.txt'), '10.0.2.3'), { ...ends, routerAddresses: ['10.0.1.1'] })).toBeUndefined();
    expect(routeBackWitness(undefined, ends)).toBeUndefined();
  });
});

describe("the iperf3 server's peer", () => {
  const client = parseIperf3Json(fixture('iperf3/tcp-via-router.json'));
  const server = parseIperf3Json(fixture('iperf3/server-json-mode.json'));

  it("names a translation when the server saw the router's own address", () => {
    // The recorded server saw 10.0.1.2: as if that were the router's address and VM1 another.
    const natEnds: TranslationEnds = { ...ends, source: { role: 'vm1', address: '10.0.9.9' }, routerAddresses: ['10.0.1.2'] };
    expect(peerWitness(server.remoteHost, natEnds)?.detail).toBe(
      "VM3's iperf3 server received the test from the router's own address 10.0.1.2, not from VM1's 10.0.9.9: the router rewrites the source address (NAT) instead of routing",
    );
    expect(serverWitness(server, client, '10.0.9.9', natEnds)).toMatchObject({ name: SOURCE_SEEN, agrees: false });
  });

  it('keeps a stranger as a disagreement of the server, and the expected client as agreement', () => {
    expect(serverWitness(server, client, '10.9.9.9', ends)).toMatchObject({ name: "the iperf3 server's own report", agrees: false });
    expect(serverWitness(server, client, '10.0.1.2', ends)).toMatchObject({ agrees: true });
  });
});

describe('a pass only the source seen contradicts', () => {
  const nat = { name: SOURCE_SEEN, agrees: false, detail: "VM3's route to 10.0.2.3 goes via 192.168.122.1, not via the router, yet ..." };

  it('fails as translated, saying NAT, never "witnesses disagree"', () => {
    expect(heardWitnesses(pass, [{ name: 'the reply TTL', agrees: true, detail: 'ttl=63' }, nat])).toMatchObject({
      status: 'fail',
      reason: 'translated',
      message: `10.0.3.3 answers: 5/5 replies, but the traffic was translated, not routed (${nat.detail})`,
    });
  });

  it('with another witness against it too, stays a contradiction', () => {
    const verdict = heardWitnesses(pass, [{ name: "the router's counters", agrees: false, detail: 'x', problem: 'nothing came back' }, nat]);
    expect(verdict).toMatchObject({ status: 'fail', reason: 'witness-contradicts' });
  });
});
