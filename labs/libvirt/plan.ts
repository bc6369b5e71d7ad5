// The whole VM lab computed from (name, slot, NIC model, variant, state dir, image, accel). Pure.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { formatSubnet, hostAddress, type Subnet } from '../../grader/core/ipv4.ts';
import { isLabName } from '../kit/lab-name.ts';
import { checkSlot as checkSlotIn } from '../kit/slot.ts';

import { NETWORK_ROLES, VM_ROLES, type NetworkRole, type VmRole } from '../kit/roles.ts';

export { NETWORK_ROLES, VM_ROLES, type NetworkRole, type VmRole };

export const NIC_MODELS = ['virtio', 'e1000'] as const;
export type NicModel = (typeof NIC_MODELS)[number];
/** The kernel driver a guest NIC of each model is bound to. */
export const NIC_DRIVERS: Record<NicModel, string> = { virtio: 'virtio_net', e1000: 'e1000' };

/** The VM lab's variants, one entry each: the student's mistake, and what the student then leaves undone. */
export const VM_VARIANT_TABLE = {
  good: { mistake: 'everything as the exercise asks', routerForwarding: true },
  'no-forwarding': { mistake: 'the router VM keeps net.ipv4.ip_forward=0', routerForwarding: false },
} as const satisfies Record<string, { mistake: string; routerForwarding: boolean }>;
export type VmVariant = keyof typeof VM_VARIANT_TABLE;
export const VM_VARIANTS = Object.keys(VM_VARIANT_TABLE) as VmVariant[];

/**
 * What the VMs run. `debian`: Debian 12 built with debootstrap (systemd, OpenSSH, a `student`
 * account with sudo and a password, ifupdown, predictable NIC names), booted from a qcow2 overlay.
 * `busybox`: a BusyBox initramfs with dropbear and root logins (boots in a few seconds).
 */
export const GUEST_KINDS = ['debian', 'busybox'] as const;
export type GuestKind = (typeof GUEST_KINDS)[number];
export const DEFAULT_GUEST: GuestKind = 'debian';
/** The account a Debian guest's user logs in with (root is refused over SSH, as on a fresh install). */
export const STUDENT_USER = 'student';
/** The label of a Debian guest's root file system (the kernel command line finds it by this). */
export const DEBIAN_ROOT_LABEL = 'vmlab-root';

/** libvirt domain types: `qemu` is TCG (software emulation), `kvm` hardware virtualisation. */
export type DomainType = 'qemu' | 'kvm';

/** Slots 0..MAX_SLOTS-1; slot N owns 10.124.N.0/24, 10.125.N.0/24, 10.126.N.0/24 and `rlv-N-*` bridges. */
export const MAX_SLOTS = 200;
export const BRIDGE_PREFIX = 'rlv';
export { isLabName };
export const DEFAULT_LAB_NAME = 'vmdemo';
export const GUEST_MEMORY_MIB = 256;
/** systemd, sshd with PAM and dhclient need more than BusyBox. */
export const DEBIAN_MEMORY_MIB = 512;

export function isNicModel(value: string): value is NicModel {
  return (NIC_MODELS as readonly string[]).includes(value);
}
export function isGuestKind(value: string): value is GuestKind {
  return (GUEST_KINDS as readonly string[]).includes(value);
}
export function isVmVariant(value: string): value is VmVariant {
  return Object.hasOwn(VM_VARIANT_TABLE, value);
}

const SECOND_OCTET: Record<NetworkRole, number> = { management: 124, internal1: 125, internal2: 126 };
const BRIDGE_SUFFIX: Record<NetworkRole, string> = { management: 'mgmt', internal1: 'in1', internal2: 'in2' };

export function slotSubnet(slot: number, network: NetworkRole): Subnet {
  checkSlot(slot);
  return { network: `10.${SECOND_OCTET[network]}.${slot}.0`, prefixLength: 24 };
}

export interface NetworkPlan {
  role: NetworkRole;
  /** libvirt network name, e.g. `demo-internal1`. */
  name: string;
  uuid: string;
  /** Bridge in the root namespace, e.g. `rlv-3-in1` (at most 15 characters). */
  bridge: string;
  subnet: string;
  /** The bridge's address: the hypervisor on this network (libvirt's `.1`). */
  address: string;
  prefix: number;
  dhcpStart: string;
  dhcpEnd: string;
  /** Offered as the default gateway by DHCP: only on the management network. */
  gateway?: string;
}

export interface NicPlan {
  network: NetworkRole;
  mac: string;
  /** PCI slot on bus 0: NICs appear in the guest in this order (eth0 = management). */
  pciSlot: number;
}

export interface VmPlan {
  role: VmRole;
  /** libvirt domain name, e.g. `demo-vm1`. */
  domain: string;
  uuid: string;
  hostname: string;
  memoryMiB: number;
  dir: string;
  /** busybox: base initramfs followed by this VM's key archive; debian: the image's initramfs. */
  initrd: string;
  consoleLog: string;
  /** busybox: dropbear-format host key, packed into the key archive; debian: OpenSSH format, in the seed. */
  hostKey: string;
  /** debian: the VM's copy-on-write overlay on the cached base image. */
  disk: string;
  /** debian: the first-boot seed (a tar archive attached as a read-only disk). */
  seed: string;
  cmdline: string;
  nics: NicPlan[];
}

export interface VmLabPaths {
  stateFile: string;
  privateKey: string;
  publicKey: string;
  knownHosts: string;
  inventory: string;
  env: string;
}

export interface GuestImage {
  dir: string;
  key: string;
  /** What the domains boot: the kernel as an ELF file (PVH) or its bzImage. */
  kernel: string;
  initrd: string;
  /** debian: the qcow2 base image the overlays are made on. */
  disk?: string;
}

export interface VmLabPlan extends Omit<VmPlanInput, 'createdAt' | 'guest'> {
  guest: GuestKind;
  networks: Record<NetworkRole, NetworkPlan>;
  vms: Record<VmRole, VmPlan>;
  paths: VmLabPaths;
}

export interface VmPlanInput {
  name: string;
  slot: number;
  nic: NicModel;
  variant: VmVariant;
  /** Absent in state files written before guests had a choice: those labs ran busybox. */
  guest?: GuestKind;
  domainType: DomainType;
  /** Absolute path of `.lab/<name>`. */
  stateDir: string;
  image: GuestImage;
  /** Makes the UUIDs unique to this `up` (the state file keeps it, so the plan can be recomputed). */
  createdAt: string;
  /** Domain names as a student might give them; by default `<name>-vm1`, `<name>-router`, `<name>-vm3`. */
  domainNames?: Record<VmRole, string>;
}

function checkSlot(slot: number): void {
  checkSlotIn(slot, MAX_SLOTS);
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}

/** A version-4-shaped UUID derived from `parts` (stable for the same input). */
export function derivedUuid(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\0')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function bridgeName(slot: number, network: NetworkRole): string {
  checkSlot(slot);
  return `${BRIDGE_PREFIX}-${slot}-${BRIDGE_SUFFIX[network]}`;
}

/** The networks each VM's NICs attach to, in PCI (and guest `ethN`) order. */
export const VM_NETWORKS: Record<VmRole, readonly NetworkRole[]> = {
  vm1: ['management', 'internal1'],
  router: ['management', 'internal1', 'internal2'],
  vm3: ['management', 'internal2'],
};

const FIRST_NIC_PCI_SLOT = 3;

export function planVmLab(input: VmPlanInput): VmLabPlan {
  const { name, slot, nic, variant, domainType, stateDir, image, createdAt } = input;
  const guest = input.guest ?? 'busybox';
  const debian = guest === 'debian';
  checkSlot(slot);
  if (!isLabName(name)) throw new Error(`invalid lab name: ${name}`);
  const uuid = (kind: string): string => derivedUuid(stateDir, name, createdAt, kind);

  const networkOf = (role: NetworkRole): NetworkPlan => {
    const subnet = slotSubnet(slot, role);
    const address = hostAddress(subnet, 1);
    return {
      role,
      name: `${name}-${role}`,
      uuid: uuid(`network:${role}`),
      bridge: bridgeName(slot, role),
      subnet: formatSubnet(subnet),
      address,
      prefix: subnet.prefixLength,
      dhcpStart: hostAddress(subnet, 2),
      dhcpEnd: hostAddress(subnet, 254),
      ...(role === 'management' ? { gateway: address } : {}),
    };
  };
  const networks = {
    management: networkOf('management'),
    internal1: networkOf('internal1'),
    internal2: networkOf('internal2'),
  };

  const vmOf = (role: VmRole, roleIndex: number): VmPlan => {
    const dir = join(stateDir, role);
    return {
      role,
      domain: input.domainNames?.[role] ?? `${name}-${role}`,
      uuid: uuid(`domain:${role}`),
      hostname: role,
      memoryMiB: debian ? DEBIAN_MEMORY_MIB : GUEST_MEMORY_MIB,
      dir,
      initrd: debian ? image.initrd : join(dir, 'initrd.img'),
      consoleLog: join(dir, 'console.log'),
      hostKey: join(dir, debian ? 'ssh_host_ed25519_key' : 'dropbear_ed25519_host_key'),
      disk: join(dir, 'disk.qcow2'),
      seed: join(dir, 'seed.tar'),
      // panic=-1 + on_reboot=destroy: a guest that panics stops at once instead of hanging.
      // A Debian guest takes its hostname from the seed (first boot), as an installed system has one;
      // no_timer_check: on a loaded host the kernel's IO-APIC timer check fails under TCG and panics.
      cmdline: debian ? `root=LABEL=${DEBIAN_ROOT_LABEL} ro console=ttyS0 panic=-1 no_timer_check` : `console=ttyS0 hostname=${role} panic=-1`,
      nics: VM_NETWORKS[role].map((network, nicIndex) => ({
        network,
        mac: `52:54:00:${hex2(slot)}:${hex2(roleIndex + 1)}:${hex2(nicIndex + 1)}`,
        pciSlot: FIRST_NIC_PCI_SLOT + nicIndex,
      })),
    };
  };

  return {
    name,
    slot,
    nic,
    variant,
    guest,
    domainType,
    stateDir,
    image,
    ...(input.domainNames ? { domainNames: input.domainNames } : {}),
    networks,
    vms: { vm1: vmOf('vm1', 0), router: vmOf('router', 1), vm3: vmOf('vm3', 2) },
    paths: {
      stateFile: join(stateDir, 'vm-lab.json'),
      privateKey: join(stateDir, 'id_ed25519'),
      publicKey: join(stateDir, 'id_ed25519.pub'),
      knownHosts: join(stateDir, 'known_hosts'),
      inventory: join(stateDir, 'inventory.yaml'),
      env: join(stateDir, '.env'),
    },
  };
}

/** Addresses the VMs got from DHCP, by role and network. */
export interface VmAddresses {
  vm1: { management: string; internal: string };
  router: { management: string; internal1: string; internal2: string };
  vm3: { management: string; internal: string };
}
