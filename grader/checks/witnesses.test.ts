import { describe, expect, it } from 'vitest';
import { parseIperf3Json } from '../parse/iperf3.ts';
import { fixture } from '../../test/support/test-files.ts';
import { serverWitness } from './iperf.ts';
import { ttlWitness } from './ping.ts';
import { parseCounters, routerCountersWitness } from './router-counters.ts';
import { routerRouteWitness } from './traceroute.ts';
import { heardWitnesses } from './witnesses.ts';

const pass = { status: 'pass' as const, message: '10.0.2.3 answers', actual: '5/5 replies', evidence: [] };

describe('witnesses', () => {
  it('a pass stands when no witness disagrees; a witness not asked does not count against it', () => {
    const verdict = heardWitnesses(pass, [
      { name: 'the reply TTL', agrees: true, detail: 'ttl=63' },
      { name: "the router's counters", detail: 'the router could not be asked' },
    ]);
    expect(verdict.status).toBe('pass');
    expect(verdict.actual).toBe("5/5 replies\nthe reply TTL agrees: ttl=63\nthe router's counters not asked: the router could not be asked");
  });

  it('a disagreeing witness turns a pass into a failure that names it', () => {
    const verdict = heardWitnesses(pass, [{ name: 'the reply TTL', agrees: false, detail: 'ttl=64' }]);
    expect(verdict).toMatchObject({ status: 'fail', message: 'witnesses disagree: 10.0.2.3 answers, but the reply TTL: ttl=64' });
  });

  it('reads the reply TTL as router hops from Linux, Windows and network stacks', () => {
    expect(ttlWitness([63, 63]).agrees).toBe(true);
    expect(ttlWitness([127]).agrees).toBe(true);
    expect(ttlWitness([64])).toMatchObject({ agrees: false, detail: 'ttl=64: the replies crossed no router' });
    expect(ttlWitness([62]).detail).toBe('ttl=62: the replies crossed 2 routers');
    expect(ttlWitness([]).agrees).toBeUndefined();
  });

  it("reads the router's counters and wants forwarded datagrams and traffic on both internal NICs", () => {
    const before = parseCounters(fixture('router-counters/statistics-and-snmp.txt'));
    expect(Object.keys(before.nics)).toEqual(['lo', 'eth0']);
    expect(before.nics.lo?.rx_packets).toBeGreaterThan(0);
    expect(before.forwarded).toBe(0);
    const path = { towardVm1: 'lo', towardVm3: 'eth0' };
    const bump = (n: number, forwarded = 0) => ({
      forwarded: (before.forwarded ?? 0) + forwarded,
      nics: Object.fromEntries(Object.entries(before.nics).map(([nic, c]) => [nic, Object.fromEntries(Object.entries(c).map(([k, v]) => [k, (v ?? 0) + n]))])),
    });
    expect(routerCountersWitness(path, before, bump(5, 10), { forwarded: 10, packets: 5 }).agrees).toBe(true);
    expect(routerCountersWitness(path, before, bump(2, 10), { forwarded: 10, packets: 5 })).toMatchObject({
      agrees: false,
      detail: expect.stringMatching(/too little traffic crossed its internal NICs$/),
    });
    // Traffic to the router's own addresses moves its NICs' counters, never the forwarded ones.
    expect(routerCountersWitness(path, before, bump(50, 0), { forwarded: 10, packets: 5 }).detail).toMatch(/it forwarded 0 datagrams, fewer than the 10/);
    expect(routerCountersWitness(path, before, bump(5, 10), { forwarded: 1, packets: 1, bytes: 1000 }).agrees).toBe(false);
    expect(routerCountersWitness(undefined, undefined, undefined, { forwarded: 1, packets: 1 }).agrees).toBeUndefined();
    const silent = routerCountersWitness(path, undefined, before, { forwarded: 1, packets: 1 });
    expect(silent).toMatchObject({ mustAnswer: true, detail: 'the router was reached, but its counters could not be read' });
    expect(silent.agrees).toBeUndefined();
  });

  it('a witness that should have answered but did not leaves a pass unconfirmed: an error', () => {
    const verdict = heardWitnesses(pass, [{ name: "the router's counters", mustAnswer: true, detail: 'the router was reached, but its counters could not be read' }]);
    expect(verdict).toMatchObject({ status: 'error', message: expect.stringMatching(/^could not confirm: 10\.0\.2\.3 answers, but the router's counters: /) });
  });

  it("compares the iperf3 server's own report with the client's", () => {
    // The client's and the server's reports of tests through the same 20 Mbit/s router.
    const report = parseIperf3Json(fixture('iperf3/tcp-via-router.json'));
    const server = parseIperf3Json(fixture('iperf3/server-json-mode.json'));
    expect(serverWitness(server, report, '10.0.1.2')).toMatchObject({ agrees: true, detail: 'received 19.1 Mbit/s from 10.0.1.2' });
    expect(serverWitness(server, report, '10.9.9.9').detail).toMatch(/not from 10\.9\.9\.9$/);
    expect(serverWitness(server, { ...report, receiverMbps: 900 }, '10.0.1.2').agrees).toBe(false);
    expect(serverWitness(undefined, report, '10.0.1.2')).toMatchObject({ agrees: false, detail: 'the server on the other VM measured no test' });
  });

  it("wants the router's own route to go straight out of its NIC on the target's network", () => {
    expect(routerRouteWitness({ destination: '10.0.2.3', device: 'ens5', type: 'unicast' }, 'ens5', '10.0.2.3').agrees).toBe(true);
    expect(routerRouteWitness({ destination: '10.0.2.3', gateway: '10.0.9.1', device: 'ens3', type: 'unicast' }, 'ens5', '10.0.2.3').detail).toBe(
      '10.0.2.3 via 10.0.9.1 dev ens3, not directly out of ens5',
    );
  });
});
