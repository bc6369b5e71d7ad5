// Forwarding off on one NIC of the router (issue 25 item 3), on a state recorded from the
// reference lab's nic-forwarding-off variant (test/support/record-diagnosis-state.ts).
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

const state = (name: string) => JSON.parse(fixture(`diagnose/${name}.json`)) as DiagnosisInput;

describe('a router NIC with its own forwarding off', () => {
  it('is the one cause, on that NIC, with the NIC\'s own sysctl as the fix (not ip_forward, already 1), and no firewall blamed', () => {
    const found = diagnose(state('nic-forwarding-off')).filter((d) => d.cause !== 'not-virtio');
    expect(found).toHaveLength(1);
    const d = found[0]!;
    expect(d).toMatchObject({ cause: 'forwarding-off', host: 'router', nic: 'ens5', fix: ['sudo sysctl -w net.ipv4.conf.ens5.forwarding=1'] });
    expect(d.summary).toBe('The router forwards nothing that arrives on ens5 (its NIC toward VM3): net.ipv4.ip_forward is 1, but net.ipv4.conf.ens5.forwarding is 0.');
    expect(d.persist).toMatch(/net\.ipv4\.conf\.ens5\.forwarding=1 \| sudo tee -a \/etc\/sysctl\.d\/99-router-lab\.conf.*IPv4Forwarding=yes/);
    expect(d.results).toEqual(['ip-forward router', 'ping vm1', 'traceroute vm1', 'iperf vm1']);
  });

  it('names a NIC with a dot in its name (a VLAN) by the slash form of its key, which sysctl takes', () => {
    const input = state('nic-forwarding-off');
    const result = input.results.find((r) => r.kind === 'ip-forward')!;
    result.subject = { ...result.subject, nics: ['ens5.10'] };
    const d = diagnose(input).find((x) => x.cause === 'forwarding-off')!;
    expect(d.fix).toEqual(['sudo sysctl -w net/ipv4/conf/ens5.10/forwarding=1']);
    expect(d.persist).toContain('echo net/ipv4/conf/ens5.10/forwarding=1 | sudo tee -a');
  });

  it('gives way to ip_forward itself when the router\'s command session read it 0 (a hook answered the witness read): one cause, ip_forward\'s', () => {
    const input = state('nic-forwarding-off');
    input.observations!.hosts.router!.ipForward = '0';
    const found = diagnose(input).filter((d) => d.cause !== 'not-virtio');
    expect(found.map((d) => [d.cause, d.nic])).toEqual([['forwarding-off', undefined]]);
    expect(found[0]!.fix).toContain('sudo sysctl -w net.ipv4.ip_forward=1');
  });
});
