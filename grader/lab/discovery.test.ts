import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import type { CommandResult } from '../core/command-result.ts';
import { parseDiscovery } from './discovery.ts';
import { internalEndpoint } from './topology.ts';

// The discovery command's output as a VM prints it: its sections around recorded iproute2 output.
function discoveryOutput(ssh: string, addr: string, route: string): CommandResult {
  const stdout = `@@ssh ${ssh}\n@@addr\n${fixture(addr)}\n@@route\n${fixture(route)}\n`;
  return { command: 'discovery', exitCode: 0, stdout, stderr: '', timedOut: false, truncated: false, durationMs: 5 };
}

describe('parseDiscovery', () => {
  it('reads /etc/machine-id, and none when the VM has none', () => {
    const output = discoveryOutput('10.122.0.254 40000 192.168.122.50 22', 'ip-addr/iproute2-vm1.json', 'ip-route/iproute2-vm1.json');
    const withId = { ...output, stdout: `${output.stdout}@@machine-id\n5C1F0E6A2B3D4E5F60718293A4B5C6D7\n` };
    expect(parseDiscovery('vm1', withId, 'vm1.lab').machineId).toBe('5c1f0e6a2b3d4e5f60718293a4b5c6d7');
    expect(parseDiscovery('vm1', withId, 'vm1.lab').routes).toEqual(parseDiscovery('vm1', output, 'vm1.lab').routes);
    expect(parseDiscovery('vm1', { ...output, stdout: `${output.stdout}@@machine-id\n` }, 'vm1.lab').machineId).toBeUndefined();
  });

  it('finds the management NIC by the address SSH reached, the rest are internal (iproute2 JSON)', () => {
    const facts = parseDiscovery('vm1', discoveryOutput('10.122.0.254 40000 192.168.122.50 22', 'ip-addr/iproute2-vm1.json', 'ip-route/iproute2-vm1.json'), 'vm1.lab');
    expect(facts.reachedAddress).toBe('192.168.122.50');
    expect(facts.management?.name).toBe('enp1s0');
    expect(facts.internal.map((nic) => nic.name)).toEqual(['enp7s0']);
    expect(internalEndpoint(facts)).toMatchObject({ interface: 'enp7s0', address: '10.0.1.2', prefixLength: 24 });
    expect(facts.evidence[0]?.output).toMatch(/^enp1s0 UP 192\.168\.122\.50\/24 \(management\)$/m);
  });

  it('reads BusyBox text output the same way', () => {
    const facts = parseDiscovery('vm1', discoveryOutput('10.122.0.254 40000 192.168.122.50 22', 'ip-addr/busybox-vm1.txt', 'ip-route/busybox-vm1.txt'), 'vm1.lab');
    expect(facts.management?.name).toBe('enp1s0');
    expect(facts.internal.map((nic) => nic.name)).toEqual(['enp7s0']);
  });

  it('falls back to the inventory address, then to the default route, without $SSH_CONNECTION', () => {
    const byInventory = parseDiscovery('vm1', discoveryOutput('', 'ip-addr/iproute2-vm1.txt', 'ip-route/iproute2-vm1.txt'), '192.168.122.50');
    expect(byInventory.management?.name).toBe('enp1s0');
    const byRoute = parseDiscovery('vm1', discoveryOutput('', 'ip-addr/iproute2-vm1.txt', 'ip-route/iproute2-vm1.txt'), 'vm1.example.edu');
    expect(byRoute.reachedAddress).toBeUndefined();
    expect(byRoute.management?.name).toBe('enp1s0');
  });

  it('treats a reached address on no NIC as no management NIC (NAT port forward), all NICs internal', () => {
    const facts = parseDiscovery('vm1', discoveryOutput('10.0.0.1 4000 172.16.0.9 22', 'ip-addr/iproute2-vm1.txt', 'ip-route/iproute2-vm1.txt'), 'x');
    expect(facts.management).toBeUndefined();
    expect(facts.internal.map((nic) => nic.name)).toEqual(['enp1s0', 'enp7s0']);
  });
});
