import { describe, expect, it } from 'vitest';
import { parseSubnet, subnetOf } from '../../core/ipv4.ts';
import type { Endpoint } from '../../lab/topology.ts';
import { parseNetworkXml } from '../../parse/virsh.ts';
import { fixture } from '../../../test/support/test-files.ts';
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

  it("names a VM that holds the router's own address, not a router missing from its network", () => {
    const verdict = evaluateSubnets({ ...good, vm3: at('eth1', '10.0.2.1', 24), routerOnVm3: undefined, routerSharing: { vm3: at('ens5', '10.0.2.1', 24) } });
    expect(verdict).toMatchObject({ status: 'fail', message: "VM3's address 10.0.2.1 is the router's own address in 10.0.2.0/24" });
    expect(verdict.subject.problems).toEqual([{ problem: 'router-address-taken', host: 'VM3', subnet: '10.0.2.0/24', address: '10.0.2.1' }]);
    expect(verdict.actual).toContain('router 10.0.1.1 (ens4) and 10.0.2.1 (ens5)');
  });
});

describe('with the hypervisor network definitions', () => {
  const dhcp = parseNetworkXml(fixture('virsh/net-dumpxml-dhcp.xml'));
  const wide = parseNetworkXml(fixture('virsh/net-dumpxml-static-prefix.xml'));

  it('passes two distinct libvirt networks and shows their definitions', () => {
    const verdict = evaluateSubnets({ ...good, networks: { vm1: dhcp, vm3: { ...dhcp, name: 'internal2', addresses: [{ address: '10.0.2.1', prefixLength: 24, dhcp: true }] } } });
    expect(verdict.status).toBe('pass');
    expect(verdict.actual).toContain('libvirt rlgfix-internal1: 10.0.1.0/24 (DHCP), isolated; internal2: 10.0.2.0/24 (DHCP), isolated');
  });

  it('fails both VMs on one libvirt network, and networks defined with overlapping subnets', () => {
    expect(evaluateSubnets({ ...good, networks: { vm1: dhcp, vm3: dhcp } }).message).toBe('VM1 and VM3 are attached to the same libvirt network rlgfix-internal1');
    // 10.0.2.1/16 covers 10.0.1.0/24: the definitions overlap even though the guests' /24s do not.
    expect(evaluateSubnets({ ...good, networks: { vm1: dhcp, vm3: wide } }).message).toBe(
      'the libvirt networks rlgfix-internal1 and rlgfix-static are defined with overlapping subnets',
    );
  });
});
