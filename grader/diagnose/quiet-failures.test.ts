// Diagnoses of labs where ping passes and something else fails (issue 25, item 5), on states
// recorded from the reference lab's variants (fixtures/diagnose/, test/support/record-diagnosis-state.ts).
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import type { LabAddresses } from '../../labs/netns/plan-types.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

type State = DiagnosisInput & { addresses: LabAddresses };

function state(name: string): State {
  return JSON.parse(fixture(`diagnose/${name}.json`)) as State;
}

function found(s: DiagnosisInput): Diagnosis[] {
  return diagnose(s).filter((d) => d.cause !== 'not-virtio');
}

function passing(s: DiagnosisInput): string[] {
  return s.results.filter((r) => r.status === 'pass').map((r) => (r.host === 'lab' ? r.id : `${r.id} ${r.host}`));
}

// No diagnosis explains a result that passed.
function explainsNoPass(s: DiagnosisInput, list: Diagnosis[]): void {
  const passed = passing(s);
  for (const d of list) expect(d.results.filter((r) => passed.includes(r))).toEqual([]);
}

describe('path MTU black hole', () => {
  it("names the router's NIC with the smaller MTU and sets it back; iperf alone is explained", () => {
    const s = state('path-mtu-blackhole');
    const list = found(s);
    expect(list.map((d) => `${d.cause} ${d.host} ${d.nic}`)).toEqual(['mtu-blackhole router ens5']);
    const d = list[0]!;
    expect(d.fix).toEqual(['sudo ip link set dev ens5 mtu 1500']);
    expect(d.results).toEqual(['iperf vm1']);
    expect(d.evidence.join('\n')).toMatch(/ens5 1400/);
    // The rule the grader read, named: the router drops the "fragmentation needed" it sends.
    expect(d.evidence.join('\n')).toMatch(/chain output: icmp type destination-unreachable icmp code frag-needed drop/);
    expect(d.summary).toMatch(/fragmentation needed/);
    explainsNoPass(s, list);
  });

  it('without a readable firewall it says what it saw, not which rule', () => {
    const s = state('path-mtu-blackhole');
    const router = s.observations!.hosts.router!;
    router.nft = { readable: false, drops: [] };
    router.iptables = { readable: false, drops: [] };
    const [d] = found(s);
    expect(d).toMatchObject({ cause: 'mtu-blackhole', nic: 'ens5', fix: ['sudo ip link set dev ens5 mtu 1500'] });
    expect(d!.summary).toMatch(/could not read/);
  });

  it('iperf ran slowly (a steady figure, not a stall): not called a black hole', () => {
    const s = state('path-mtu-blackhole');
    const iperf = s.results.find((r) => r.kind === 'iperf')!;
    iperf.measurements.throughputMbps = 42;
    expect(found(s).map((d) => d.cause)).not.toContain('mtu-blackhole');
  });

  it('equal MTUs along the path: no MTU diagnosis', () => {
    const s = state('path-mtu-blackhole');
    for (const l of s.observations!.hosts.router!.links) if (l.mtu === 1400) l.mtu = 1500;
    expect(found(s).map((d) => d.cause)).not.toContain('mtu-blackhole');
  });
});

describe('router that drops its own time-exceeded', () => {
  it('names the OUTPUT rule and removes it; only traceroute is explained', () => {
    const s = state('no-time-exceeded');
    const list = found(s);
    expect(list.map((d) => `${d.cause} ${d.host}`)).toEqual(['router-silent router']);
    const d = list[0]!;
    expect(d.fix).toEqual(['sudo nft -a list ruleset', 'sudo nft delete rule inet filter output handle 2']);
    expect(d.results).toEqual(['traceroute vm1']);
    expect(d.evidence.join('\n')).toMatch(/icmp type time-exceeded drop/);
    explainsNoPass(s, list);
  });

  it('rules unreadable: says what it saw (hop 1 silent, ping through the router passes)', () => {
    const s = state('no-time-exceeded');
    const router = s.observations!.hosts.router!;
    router.nft = { readable: false, drops: [] };
    router.iptables = { readable: false, drops: [] };
    const [d, ...rest] = found(s);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ cause: 'router-silent', host: 'router', results: ['traceroute vm1'] });
    expect(d!.summary).toMatch(/did not answer/);
    expect(d!.fix).toContain('sudo iptables -L OUTPUT -v -n --line-numbers');
  });
});

describe("VM3's INPUT policy drop that admits ping", () => {
  it("names the policy and admits iperf's port and traceroute's probes, not every packet", () => {
    const s = state('vm3-input-drop');
    const list = found(s);
    expect(list.map((d) => `${d.cause} ${d.host}`)).toEqual(['filtered vm3']);
    const d = list[0]!;
    expect(d.fix).toEqual([
      'sudo nft -a list ruleset',
      'sudo nft insert rule inet filter input udp dport 33434-33534 accept',
      'sudo nft insert rule inet filter input tcp dport 5201 accept',
    ]);
    expect(d.summary).toMatch(/admits ping/);
    expect(d.summary).not.toMatch(/drops the packets between VM1 and VM3/);
    expect(d.evidence.join('\n')).toMatch(/chain input \(hook input\): policy drop/);
    expect(d.results).toEqual(['traceroute vm1', 'iperf vm1']);
    explainsNoPass(s, list);
  });

  it("rules unreadable (no sudo): says what it saw on VM3, and how to look, without guessing a rule", () => {
    const s = state('vm3-input-drop');
    const vm3 = s.observations!.hosts.vm3!;
    vm3.nft = { readable: false, drops: [] };
    vm3.iptables = { readable: false, drops: [] };
    const list = found(s);
    expect(list.map((d) => `${d.cause} ${d.host}`)).toEqual(['filtered vm3']);
    const d = list[0]!;
    expect(d.summary).toMatch(/^Ping reaches VM3 and is answered/);
    expect(d.summary).toMatch(/need sudo/);
    expect(d.fix).toEqual([
      'sudo nft -a list ruleset',
      'sudo iptables -L INPUT -v -n --line-numbers',
      '# then admit what is dropped: sudo nft insert rule FAMILY TABLE CHAIN udp dport 33434-33534 accept, or sudo iptables -I INPUT -p udp --dport 33434:33534 -j ACCEPT',
      '# then admit what is dropped: sudo nft insert rule FAMILY TABLE CHAIN tcp dport 5201 accept, or sudo iptables -I INPUT -p tcp --dport 5201 -j ACCEPT',
    ]);
    expect(d.results).toEqual(['traceroute vm1', 'iperf vm1']);
    explainsNoPass(s, list);
  });
});

describe("router's internal addresses swapped between its NICs", () => {
  it('names the swap from the MACs VM1 and the router saw, and moves both addresses', () => {
    const s = state('router-addrs-swapped');
    const a = s.addresses;
    const list = found(s);
    expect(list.map((d) => `${d.cause} ${d.host} ${d.nic}`)).toEqual(['addresses-swapped router ens4']);
    const d = list[0]!;
    expect(d.fix).toEqual([
      `sudo ip addr del ${a.router.internal1}/24 dev ens5`,
      `sudo ip addr del ${a.router.internal2}/24 dev ens4`,
      `sudo ip addr add ${a.router.internal1}/24 dev ens4`,
      `sudo ip addr add ${a.router.internal2}/24 dev ens5`,
    ]);
    expect(d.evidence.join('\n')).toContain(`${a.router.internal1} at 52:54:00:00:01:02, the MAC of the router's ens4`);
    expect(d.results).toEqual(['ping vm1', 'traceroute vm1', 'iperf vm1']);
    explainsNoPass(s, list);
  });

  it('the same lab with the addresses where they belong (MACs consistent): no swap', () => {
    const s = state('router-addrs-swapped');
    const vm1 = s.observations!.hosts.vm1!;
    for (const n of vm1.neighbours) if (n.mac === '52:54:00:00:01:02') n.mac = '52:54:00:00:01:03';
    const router = s.observations!.hosts.router!;
    router.neighbours = router.neighbours.filter((n) => n.device !== 'ens4');
    expect(found(s).map((d) => d.cause)).not.toContain('addresses-swapped');
  });
});
