// stale-neighbour on the state recorded from the reference lab's `stale-neighbour` variant: VM1's
// permanent ARP entry for the router's address names a MAC no NIC has.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

type State = DiagnosisInput & { addresses: { router: { internal1: string } } };
const state = (): State => JSON.parse(fixture('diagnose/stale-neighbour.json')) as State;
const named = (s: DiagnosisInput) => diagnose(s).filter((d) => d.cause !== 'not-virtio');

describe('a stale permanent neighbour entry for the router', () => {
  it('is the cause, on VM1 and its internal NIC, and the fix deletes the entry', () => {
    const s = state();
    const found = named(s);
    expect(found.map((d) => `${d.cause} ${d.host} ${d.nic}`)).toEqual(['stale-neighbour vm1 ens4']);
    expect(found[0]!.fix).toEqual([`sudo ip neigh del ${s.addresses.router.internal1} dev ens4`]);
    expect(found[0]!.summary).toContain('02:00:00:de:ad:01');
    expect(found[0]!.evidence.join('\n')).toMatch(/PERMANENT[\s\S]*MAC 52:54:00:/);
    expect(found[0]!.results).toEqual(['ping vm1', 'traceroute vm1', 'iperf vm1']);
  });

  it('is not blamed on a firewall on the router, even when its rules cannot be read (the flooded frames move its counters)', () => {
    const s = state();
    const router = s.observations!.hosts.router!;
    router.nft = { readable: false, drops: [] };
    router.iptables = { readable: false, drops: [] };
    expect(named(s).map((d) => `${d.cause} ${d.host}`)).toEqual(['stale-neighbour vm1']);
  });

  it('an entry the kernel learned (not set by hand) is not a cause', () => {
    const s = state();
    for (const n of s.observations!.hosts.vm1!.neighbours) if (n.state === 'PERMANENT') n.state = 'REACHABLE';
    expect(named(s).map((d) => d.cause)).not.toContain('stale-neighbour');
  });

  it('an entry with the router\'s own MAC is no cause', () => {
    const s = state();
    const vm1 = s.observations!.hosts.vm1!;
    const router = [...s.hosts].find((h) => h.role === 'router')!;
    const mac = 'facts' in router ? router.facts.interfaces.find((i) => i.addresses.some((a) => a.address === s.addresses.router.internal1))!.mac : undefined;
    for (const n of vm1.neighbours) if (n.state === 'PERMANENT') n.mac = mac!.toUpperCase();
    expect(named(s).map((d) => d.cause)).not.toContain('stale-neighbour');
  });
});
