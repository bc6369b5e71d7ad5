// The shape of a planned reference lab: names, addresses, NICs, routes, sshd instances, overlays,
// the commands that build it. Types only; plan.ts computes them.
import type { StudentAddressing } from '../kit/student-plan.ts';
import type { ONE_WAY_DIR } from './one-way.ts';
import type { TAKEOVER_DIR } from './takeover-kit.ts';
import type { Network, VmRole } from './roles.ts';
import type { PlanChanges } from './variant-spec.ts';
import type { Variant } from './variants.ts';

/**
 * A DHCP server the hypervisor runs on an internal network, as libvirt does. It hands each VM NIC
 * on the network the address the exercise as asked gives it (a reservation by MAC), so that a
 * student's `dhclient` gets what the lab's plan has; other clients get the dynamic range.
 */
export interface DhcpPlan {
  network: 'internal1' | 'internal2';
  bridge: string;
  /** MAC -> address, one per VM NIC on the network. */
  reservations: { mac: string; address: string }[];
  firstAddress: string;
  lastAddress: string;
  netmask: string;
  leaseFile: string;
  pidFile: string;
}

export interface Nic {
  /** Name inside the VM, e.g. `enp1s0`. */
  name: string;
  network: Network;
  /** The other end of the veth, enslaved to the network's bridge in the hypervisor namespace. */
  hostEnd: string;
  mac: string;
  /** Empty when the NIC has no address (`no-address`). */
  address: string;
  prefix: number;
  /** Further addresses on the NIC, `address/prefix` (a variant's mistake or alternative). */
  extraAddresses?: string[];
}

export interface Route {
  /** `default` or a CIDR. */
  to: string;
  via: string;
}

export interface VmPlan {
  role: VmRole;
  namespace: string;
  hostname: string;
  nics: Nic[];
  routes: Route[];
  forwarding: boolean;
}

export interface SshdPlan {
  role: VmRole;
  namespace: string;
  hostname: string;
  listenAddress: string;
  dir: string;
  configPath: string;
  hostKeyPath: string;
  pidPath: string;
  logPath: string;
  /** dhclient's lease and pid files in the VM's sessions (set by sshd), never the machine's own. */
  dhclientLeasePath: string;
  dhclientPidPath: string;
  /** False for the router in `router-down`. */
  start: boolean;
  /**
   * Directories overlaid (read-only) in sshd's own mount namespace, so that what the VM's sessions
   * see there differs from the machine's: a whiteout hides /usr/bin/iperf3 on vm3 in `no-iperf`,
   * scripts replace ping, traceroute or iperf3 on vm1 in the `fake-*` variants. Usually empty.
   */
  overlays: BinOverlay[];
  /** A file holding this is bind-mounted over /proc/sys/net/ipv4/ip_forward in sshd's mount namespace (`bind-ip-forward`). */
  ipForwardShows?: '1';
}

/** A file of an overlay's upper layer: a whiteout hides the real one, a script replaces it. */
export type OverlayEntry = { name: string; whiteout: true } | { name: string; script: string };

export interface BinOverlay {
  /** The directory overlaid inside the VM. */
  target: '/usr/bin' | '/usr/sbin' | typeof TAKEOVER_DIR | typeof ONE_WAY_DIR;
  /** The layer put above it, under the lab's state dir (no ':', ',' nor spaces: overlayfs options). */
  dir: string;
  entries: OverlayEntry[];
}

export interface Step {
  argv: string[];
  /** Text fed to the command's standard input. */
  input?: string;
}

export interface LabAddresses {
  vm1: { management: string; internal: string };
  router: { management: string; internal1: string; internal2: string; /** A second address on internal network 1, when the variant gives one. */ internal1Second?: string };
  vm3: { management: string; internal: string };
  /** The hypervisor namespace's `.1` on each bridge (libvirt's virbrN). */
  hypervisor: { management: string; internal1: string; internal2: string };
  /** The root namespace's end of the management veth. */
  root: string;
}

export interface LabPaths {
  stateFile: string;
  privateKey: string;
  publicKey: string;
  authorizedKeys: string;
  knownHosts: string;
  inventory: string;
  env: string;
}

export interface LabPlan {
  name: string;
  slot: number;
  variant: Variant;
  /** What the variant changes from the exercise as asked (its entry of variants.ts). */
  changes: PlanChanges;
  stateDir: string;
  namespaces: { hv: string; vm1: string; router: string; vm3: string };
  subnets: Record<Network, string>;
  bridges: Record<Network, string>;
  /** The only thing the lab adds to the root namespace. */
  rootLink: { name: string; peer: string; address: string; prefix: number };
  hypervisorForwarding: boolean;
  /** The DHCP servers of the internal networks (libvirt's isolated networks with DHCP). */
  dhcp: DhcpPlan[];
  /**
   * False in the `fake-*` variants: IPv6 is off on every machine of the lab, so that nothing but
   * the checks' own traffic (and, in `fake-all-chatter`, the student's background job) crosses
   * the router's internal NICs. With IPv6 on, router solicitations and MLD reports move the
   * router's counters by a packet or two now and then, on both internal networks.
   */
  ipv6: boolean;
  vms: Record<VmRole, VmPlan>;
  addresses: LabAddresses;
  sshd: Record<VmRole, SshdPlan>;
  paths: LabPaths;
  /** Builds the network, in order; sshd is started separately. */
  steps: Step[];
}

export interface PlanInput {
  name: string;
  slot: number;
  variant: Variant;
  /** Absolute path of `.lab/<name>`. */
  stateDir: string;
  /** The student's plan; without it, the slot's usual internal networks. */
  addressing?: StudentAddressing;
}
