import type { LabDiscovery } from '../core/lab-report.ts';
import type { Role } from '../core/roles.ts';
import type { SshEndpoint } from './ssh-host.ts';

// How to reach a VM: its address is undefined when the hypervisor is to find it.
export interface VmTarget {
  host?: string;
  port: number;
  user: string;
  /** The libvirt domain, when a hypervisor is known. */
  domain: string;
  /** Why no domain plays this role (found from the topology, it fit none): every check of it is an error. */
  absent?: string;
}

// The lab's libvirt host: this machine (no endpoint) or one reached over SSH.
export interface HypervisorTarget {
  endpoint?: SshEndpoint;
  uri: string;
}

// One student's lab: where its three VMs are, and the hosts that lead to them, if any.
export interface LabTarget {
  name: string;
  vms: Record<Role, VmTarget>;
  jump?: SshEndpoint;
  hypervisor?: HypervisorTarget;
  /** How the lab was found on its hypervisor, when its roles come from the topology. */
  discovery?: LabDiscovery;
  /** The domains are to be found on the hypervisor from the topology (an inventory entry without `domains:`). */
  findDomains?: boolean;
}
