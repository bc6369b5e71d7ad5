// Which address each VM NIC got, from the DHCP leases of the lab's networks. Pure.
import { parseSubnet, subnetContains } from '../../grader/core/ipv4.ts';
import { VM_ROLES, type NetworkRole, type VmAddresses, type VmLabPlan, type VmRole } from './plan.ts';
import type { LeasedAddress } from './virsh-output.ts';

export type LeasesByRole = Record<VmRole, LeasedAddress[]>;

export interface AddressResult {
  /** Set once every NIC of every VM has a lease in its own network's subnet. */
  addresses?: VmAddresses;
  /** `vm1 internal1 (52:54:00:...)` for each NIC still without one. */
  waitingFor: string[];
}

// The leased address of each planned NIC on `networks`, and the NICs still without one.
function leased(plan: VmLabPlan, leases: LeasesByRole, networks: readonly NetworkRole[]) {
  const found = {} as Record<VmRole, Partial<Record<NetworkRole, string>>>;
  const waitingFor: string[] = [];
  for (const role of VM_ROLES) {
    found[role] = {};
    for (const nic of plan.vms[role].nics.filter((n) => networks.includes(n.network))) {
      const subnet = parseSubnet(plan.networks[nic.network].subnet);
      const lease = leases[role].find((l) => l.mac === nic.mac.toLowerCase() && subnetContains(subnet, l.address));
      if (lease) found[role][nic.network] = lease.address;
      else waitingFor.push(`${role} ${nic.network} (${nic.mac})`);
    }
  }
  return { found, waitingFor };
}

export function addressesFromLeases(plan: VmLabPlan, leases: LeasesByRole): AddressResult {
  const { found, waitingFor } = leased(plan, leases, ['management', 'internal1', 'internal2']);
  if (waitingFor.length > 0) return { waitingFor };
  const { vm1, router, vm3 } = found;
  return {
    waitingFor,
    addresses: {
      vm1: { management: vm1.management!, internal: vm1.internal1! },
      router: { management: router.management!, internal1: router.internal1!, internal2: router.internal2! },
      vm3: { management: vm3.management!, internal: vm3.internal2! },
    },
  };
}

/** Only the management NICs: what a Debian guest leases by itself (its student runs dhclient on the others). */
export function managementFromLeases(plan: VmLabPlan, leases: LeasesByRole): { management?: Record<VmRole, string>; waitingFor: string[] } {
  const { found, waitingFor } = leased(plan, leases, ['management']);
  if (waitingFor.length > 0) return { waitingFor };
  return { waitingFor, management: { vm1: found.vm1.management!, router: found.router.management!, vm3: found.vm3.management! } };
}
