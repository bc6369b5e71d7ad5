import { describe, expect, it } from 'vitest';
import { parseSubnet, subnetOf } from '../parse/ipv4.ts';
import type { Endpoint } from '../lab/topology.ts';
import { evaluateSubnets, type SubnetsObservation } from './subnets.ts';

const at = (iface: string, address: string, prefixLength: number): Endpoint => ({ interface: iface, address, prefixLength, subnet: subnetOf(address, prefixLength) });

const good: SubnetsObservation = {
  vm1: at('enp7s0', '10.0.1.2', 24),
  vm3: at('eth1', '10.0.2.3', 24),
  routerOnVm1: at('ens4', '10.0.1.1', 24),
  routerOnVm3: at('ens5', '10.0.2.1', 24),
  management: [parseSubnet('192.168.122.0/24')],
  evidence: [],
};

describe('evaluateSubnets', () => {
  it('passes two separate subnets with the router on both', () => {
    expect(evaluateSubnets(good)).toMatchObject({ status: 'pass', message: 'VM1 on 10.0.1.0/24 and VM3 on 10.0.2.0/24 are separate, and the router is on both' });
  });

  it('fails the same subnet on both sides', () => {
    expect(evaluateSubnets({ ...good, vm3: at('eth1', '10.0.1.3', 24) }).message).toMatch(/^VM1 and VM3 are on the same subnet 10\.0\.1\.0\/24/);
  });

  it('fails overlapping subnets of different sizes', () => {
    expect(evaluateSubnets({ ...good, vm3: at('eth1', '10.0.2.3', 16) }).message).toMatch(/^VM1's internal subnet 10\.0\.1\.0\/24 overlaps VM3's 10\.0\.0\.0\/16/);
  });

  it('fails an internal subnet inside the management network', () => {
    const verdict = evaluateSubnets({ ...good, vm3: at('eth1', '192.168.122.77', 24), routerOnVm3: undefined });
    expect(verdict.message).toContain("VM3's internal subnet 192.168.122.0/24 overlaps the management network 192.168.122.0/24");
    expect(verdict.message).toContain("the router has no address in VM3's internal subnet 192.168.122.0/24");
  });
});
