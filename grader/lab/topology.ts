import { subnetContains, subnetOf, type Subnet } from '../core/ipv4.ts';
import type { NetworkInterface } from '../core/facts.ts';
import type { HostFacts } from './host-facts.ts';

// An address of a VM on an internal network, with the NIC that carries it.
export interface Endpoint {
  interface: string;
  address: string;
  prefixLength: number;
  subnet: Subnet;
}

function endpoints(nics: NetworkInterface[]): Endpoint[] {
  return nics.flatMap((nic) =>
    nic.addresses.map((a) => ({ interface: nic.name, address: a.address, prefixLength: a.prefixLength, subnet: subnetOf(a.address, a.prefixLength) })),
  );
}

// VM1's (or VM3's) address on its internal network. With several candidates, the one on a subnet
// where the router also has an address wins: that is the network the student meant.
export function internalEndpoint(vm: HostFacts, router?: HostFacts): Endpoint | undefined {
  const candidates = endpoints(vm.internal);
  const routerAddresses = router ? endpoints(router.internal).map((e) => e.address) : [];
  return candidates.find((c) => routerAddresses.some((a) => a !== c.address && subnetContains(c.subnet, a))) ?? candidates[0];
}

// The router's address on a VM's internal network: an address inside the VM's subnet, preferring
// one whose own subnet holds the VM too (with overlapping subnets, the NIC really facing the VM).
export function routerEndpointOn(router: HostFacts, vm: Pick<Endpoint, 'address' | 'subnet'>): Endpoint | undefined {
  const inside = endpoints(router.internal).filter((e) => e.address !== vm.address && subnetContains(vm.subnet, e.address));
  return inside.find((e) => subnetContains(e.subnet, vm.address)) ?? inside[0];
}

// Every address of the router inside a VM's internal subnet (the VM's own aside): any of them is
// the router on that network.
export function routerAddressesOn(router: HostFacts, vm: Pick<Endpoint, 'address' | 'subnet'>): string[] {
  return endpoints(router.internal).filter((e) => e.address !== vm.address && subnetContains(vm.subnet, e.address)).map((e) => e.address);
}

// The router's endpoint carrying exactly `address` (a VM that took the router's own address).
export function routerEndpointHolding(router: HostFacts, address: string): Endpoint | undefined {
  return endpoints(router.internal).find((e) => e.address === address);
}

export function managementSubnets(facts: HostFacts): Subnet[] {
  return facts.management ? endpoints([facts.management]).map((e) => e.subnet) : [];
}
