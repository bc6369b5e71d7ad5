import type { Evidence } from '../core/result.ts';
import type { Role } from '../core/roles.ts';
import type { DomainInterface, LeasedAddress, NetworkDefinition } from '../parse/virsh.ts';

// One VM as libvirt defines it.
export interface DomainFacts {
  domain: string;
  interfaces: DomainInterface[];
  leases: LeasedAddress[];
  /** The address to reach it at: the lease of its management NIC. */
  managementAddress?: string;
  /** From `virsh dumpxml`: the domain's UUID and disk image files (what a copied VM keeps). */
  uuid?: string;
  diskImages?: string[];
  evidence: Evidence[];
}

// What the lab's hypervisor says: the three domains and the networks their NICs are on.
export interface HypervisorFacts {
  target: string;
  domains: Partial<Record<Role, DomainFacts>>;
  /** Why a domain could not be read. */
  problems: Partial<Record<Role, string>>;
  networks: NetworkDefinition[];
  evidence: Evidence[];
}

// The management NIC's lease: the NIC on libvirt's `default` network if it has one, else the
// first NIC (the exercise connects the first NIC to the management network) that has a lease.
export function managementLease(interfaces: DomainInterface[], leases: LeasedAddress[]): string | undefined {
  const leased = interfaces.filter((nic) => leases.some((l) => l.mac === nic.mac));
  const nic = leased.find((n) => n.source === 'default') ?? leased[0];
  return nic ? leases.find((l) => l.mac === nic.mac)?.address : undefined;
}
