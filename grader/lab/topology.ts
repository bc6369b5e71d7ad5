import { subnetContains, subnetOf, type Subnet } from '../parse/ipv4.ts';
import type { NetworkInterface } from './facts.ts';
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

// The router's address on the given internal network, if it has one (never its management NIC).
export function routerEndpointOn(router: HostFacts, subnet: Subnet): Endpoint | undefined {
  return endpoints(router.internal).find((e) => subnetContains(subnet, e.address));
}

export function managementSubnets(facts: HostFacts): Subnet[] {
  return facts.management ? endpoints([facts.management]).map((e) => e.subnet) : [];
}
