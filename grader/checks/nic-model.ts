import type { NetworkInterface } from '../core/facts.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import type { Role } from '../core/roles.ts';
import type { DomainInterface } from '../parse/virsh.ts';
import { domainNicOf } from '../hypervisor/domain-nic.ts';

// The guest drivers each libvirt NIC model is driven by.
const MODEL_DRIVERS: Record<string, string[]> = {
  virtio: ['virtio_net'],
  e1000: ['e1000'],
  e1000e: ['e1000e'],
  rtl8139: ['8139cp', '8139too'],
  'ne2k_pci': ['ne2k-pci'],
  pcnet: ['pcnet32'],
  vmxnet3: ['vmxnet3'],
};

export function driversOfModel(model: string): string[] | undefined {
  return MODEL_DRIVERS[model];
}

// True when the guest's driver and the domain XML's model cannot both be right.
export function modelContradicts(model: string | undefined, driver: string | undefined): boolean {
  const drivers = model === undefined ? undefined : driversOfModel(model);
  return drivers !== undefined && driver !== undefined && !drivers.includes(driver);
}

// The domain XML's model for each guest NIC, matched by MAC, and the domain's NICs that the guest
// does not show at all.
export function matchModels<T extends { name: string }>(
  nics: T[],
  guest: NetworkInterface[],
  domain: DomainInterface[],
): { nics: Array<T & { model?: string }>; unseen: DomainInterface[] } {
  const matched = new Set<DomainInterface>();
  const withModels = nics.map((nic) => {
    const iface = domainNicOf(guest, nic.name, domain);
    if (!iface) return nic;
    matched.add(iface);
    return { ...nic, model: iface.model };
  });
  return { nics: withModels, unseen: domain.filter((d) => !matched.has(d)) };
}

// The domain XML's model of a VM's NIC, when the hypervisor was asked.
export function domainModelOf(lab: LabAccess, role: Role, nicName: string): string | undefined {
  return domainNicOf(lab.facts(role).interfaces, nicName, lab.hypervisor?.domains[role]?.interfaces)?.model;
}
