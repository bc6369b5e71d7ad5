import type { LabDiscovery } from '../core/lab-report.ts';
import type { Role } from '../core/roles.ts';
import type { SshEndpoint } from './ssh-host.ts';

// Which credential to log in with, as the inventory names it: pointers to secrets, never one.
export interface CredentialSource {
  /** Absolute path of a private key file. */
  keyFile?: string;
  /** Names of environment variables. */
  passphraseEnv?: string;
  passwordEnv?: string;
  /** Absolute path of a file whose first line is the password. */
  passwordFile?: string;
  /** Also offer the keys of the ssh-agent. */
  agent?: boolean;
  /** Where the inventory says so, e.g. `labs.yaml:12:5: /labs/nc07/credentials`. */
  where: string;
}

// How to reach a VM: its address is undefined when the hypervisor is to find it.
export interface VmTarget {
  host?: string;
  port: number;
  user: string;
  /** The libvirt domain, when a hypervisor is known. */
  domain: string;
  /** This VM's own credentials, over the lab's. */
  credentials?: CredentialSource;
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
  /** The lab's credentials (its VMs', the jump host's, the hypervisor's), over GRADER_SSH_*. */
  credentials?: CredentialSource;
  /** How the lab was found on its hypervisor, when its roles come from the topology. */
  discovery?: LabDiscovery;
  /** The domains are to be found on the hypervisor from the topology (an inventory entry without `domains:`). */
  findDomains?: boolean;
  /** The lab provider of this machine that built the lab (its inventory's `origin`): `netns` has no VirtIO NICs. */
  builtBy?: 'netns' | 'libvirt';
}
