import { describe, expect, it } from 'vitest';
import type { HostFacts } from './host-facts.ts';
import { internalEndpoint, routerEndpointOn } from './topology.ts';

const nic = (name: string, ...cidrs: string[]) => ({
  name,
  addresses: cidrs.map((c) => ({ address: c.split('/')[0]!, prefixLength: Number(c.split('/')[1]) })),
});
const host = (role: HostFacts['role'], internal: ReturnType<typeof nic>[]): HostFacts => ({ role, interfaces: internal, routes: [], internal, evidence: [] });

describe('topology', () => {
  it("picks the VM's address on a network the router shares", () => {
    const router = host('router', [nic('ens4', '10.0.1.1/24'), nic('ens5', '10.0.2.1/24')]);
    const vm1 = host('vm1', [nic('docker0', '172.17.0.1/16'), nic('enp7s0', '10.0.1.2/24')]);
    expect(internalEndpoint(vm1, router)?.interface).toBe('enp7s0');
    expect(internalEndpoint(vm1)?.interface).toBe('docker0');
  });

  it('with overlapping subnets, takes the router NIC whose own subnet holds the VM', () => {
    const router = host('router', [nic('ens4', '10.10.1.1/24'), nic('ens5', '10.10.2.1/16')]);
    const vm3 = internalEndpoint(host('vm3', [nic('eth1', '10.10.2.3/16')]), router)!;
    expect(routerEndpointOn(router, vm3)?.address).toBe('10.10.2.1');
    const vm1 = internalEndpoint(host('vm1', [nic('enp7s0', '10.10.1.2/24')]), router)!;
    expect(routerEndpointOn(router, vm1)?.address).toBe('10.10.1.1');
  });

  it('finds no router address on a network the router is not on', () => {
    const router = host('router', [nic('ens4', '10.0.1.1/24')]);
    expect(routerEndpointOn(router, internalEndpoint(host('vm3', [nic('eth1', '10.0.2.3/24')]))!)).toBeUndefined();
  });
});
