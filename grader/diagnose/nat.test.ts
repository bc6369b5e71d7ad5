// NAT on the router (issue 25 item 4), on states recorded from the reference lab
// (test/support/record-diagnosis-state.ts) and rule listings recorded on a router.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseIptablesNat, parseNftNat } from '../parse/nat-rules.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

const state = (name: string) => JSON.parse(fixture(`diagnose/${name}.json`)) as DiagnosisInput;
const found = (input: DiagnosisInput) => diagnose(input).filter((d) => d.cause !== 'not-virtio');
const TRAFFIC = ['ping vm1', 'traceroute vm1', 'iperf vm1'];

// A recorded state whose router's NAT rules are the ones given (the rest as recorded). With
// `translated`, iperf failed as its check fails a test its server received from the router's own
// address (a diagnosis never contradicts passing checks: a NAT every check passed is not named).
function withNat(name: string, nat: ReturnType<typeof parseNftNat>, translated = false): DiagnosisInput {
  const s = state(name);
  const router = s.observations!.hosts.router!;
  const results = translated ? s.results.map((r) => (r.kind === 'iperf' ? { ...r, status: 'fail' as const } : r)) : s.results;
  return { ...s, results, observations: { ...s.observations!, hosts: { ...s.observations!.hosts, router: { ...router, nat } } } };
}

describe('NAT on the router', () => {
  it('a leftover masquerade and no route back on VM3: the rule first, with its removal, then the route, and nobody says the replies never reach VM1', () => {
    const [nat, route, ...rest] = found(state('nat-on-router'));
    expect(rest).toEqual([]);
    expect(nat).toMatchObject({ cause: 'nat-on-router', host: 'router', nic: 'ens5', fix: ['sudo nft -a list ruleset', 'sudo nft delete rule ip nat postrouting handle 2'], results: TRAFFIC });
    expect(nat!.summary).toMatch(/^The router translates the addresses between VM1 and VM3 \(NAT\) instead of only routing them: a masquerade rule .* out of ens5/);
    expect(nat!.evidence[0]).toBe('nft: table ip nat, chain postrouting: oifname "ens5" masquerade (handle 2)');
    expect(nat!.evidence.join('\n')).toMatch(/iperf vm1: VM3's iperf3 server received the test from the router's own address 10\.10\.2\.24/);
    expect(route).toMatchObject({ cause: 'no-return-route', host: 'vm3', nic: 'eth1' });
    expect(route!.summary).not.toMatch(/never reach/);
    expect(route!.summary).toMatch(/reach VM1 now only because the router translates the addresses/);
  });

  it('a masquerade the router keeps on a lab whose routes are right is still named (after the return route is fixed)', () => {
    const [nat, ...rest] = found(withNat('good', parseNftNat(fixture('observations/nft-a-ruleset-masquerade.txt')), true));
    expect(rest).toEqual([]);
    expect(nat).toMatchObject({ cause: 'nat-on-router', host: 'router', nic: 'ens5', fix: ['sudo nft -a list ruleset', 'sudo nft delete rule ip nat postrouting handle 2'] });
  });

  it('iptables rules are removed by position, the last first, and one whose source is not VM1\'s or VM3\'s is left alone', () => {
    const rules = parseIptablesNat(fixture('observations/iptables-t-nat-S-masquerade.txt'));
    // The recorded rules: -s 10.10.1.0/24 -o ens5 MASQUERADE (VM1's network), -o ens4 SNAT.
    const [nat] = found(withNat('good', rules, true));
    expect(nat!.fix).toEqual(['sudo iptables -t nat -S', 'sudo iptables -t nat -D POSTROUTING 2', 'sudo iptables -t nat -D POSTROUTING 1']);
    const elsewhere = rules.map((r) => ({ ...r, source: { cidr: '172.16.0.0/12', negated: false } }));
    expect(found(withNat('good', elsewhere))).toEqual([]);
  });

  it('a masquerade on the management NIC only (the router\'s own way out) is not the path\'s', () => {
    const management = parseNftNat(fixture('observations/nft-a-ruleset-masquerade.txt')).map((r) => ({ ...r, oif: { name: 'ens3', negated: false } }));
    expect(found(withNat('good', management))).toEqual([]);
  });
});
