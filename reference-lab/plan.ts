// The whole lab computed from (name, slot, variant, state dir): names, addresses, commands. Pure.
import { join } from 'node:path';
import { formatSubnet, hostAddress, parseSubnet, type Subnet } from '../grader/core/ipv4.ts';
import { isLabName } from './lab-kit/lab-name.ts';
import { checkSlot as checkSlotIn } from './lab-kit/slot.ts';
import { fakeIperf3ServerScript, fakeToolScript, ONE_WAY_DIR, oneWayScript, TAKEOVER_DIR, TAKEOVER_HELPER, TAKEOVER_WRAPPED, takeoverHelperScript, takeoverWrapperScript, type FakeableTool } from './fake-tools.ts';
import { buildSteps } from './steps.ts';
import { FAKED_TOOLS, type Variant } from './variants.ts';

export const VM_ROLES = ['vm1', 'router', 'vm3'] as const;
export type VmRole = (typeof VM_ROLES)[number];
export type Network = 'management' | 'internal1' | 'internal2';

/** Slots 0..MAX_SLOTS-1; slot N owns the management subnet 10.122.N.0/24 and the `rlg-N-*` names. */
export const MAX_SLOTS = 200;
export const NAMESPACE_PREFIX = 'rlg';
export { isLabName };
export const DEFAULT_LAB_NAME = 'demo';

// 10.122.N.0/24: private, and a nod to libvirt's 192.168.122.0/24 default network.
export function managementSubnet(slot: number): Subnet {
  checkSlot(slot);
  return { network: `10.122.${slot}.0`, prefixLength: 24 };
}

/** Realistic internal network pairs; a lab uses pair `slot % 4`. */
/** Where `router-off-subnet` puts the router's address on internal network 2: in no lab's subnet. */
export const OFF_SUBNET = '10.254.0.0/24';

export const INTERNAL_PAIRS: readonly (readonly [string, string])[] = [
  ['10.10.1.0/24', '10.10.2.0/24'],
  ['192.168.100.0/24', '192.168.200.0/24'],
  ['10.0.1.0/24', '10.0.2.0/24'],
  ['172.16.10.0/24', '172.16.20.0/24'],
];

/** NIC names as Debian/Ubuntu guests get them; role i of slot s uses scheme (i + s) % 3. */
export const NIC_NAME_SCHEMES: readonly (readonly [string, string, string])[] = [
  ['enp1s0', 'enp7s0', 'enp8s0'],
  ['ens3', 'ens4', 'ens5'],
  ['eth0', 'eth1', 'eth2'],
];

/** `no-address`: the DHCP server the hypervisor runs on internal network 2, as libvirt does. */
export interface DhcpPlan {
  bridge: string;
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
  /** False for the router in `router-down`. */
  start: boolean;
  /**
   * Directories overlaid (read-only) in sshd's own mount namespace, so that what the VM's sessions
   * see there differs from the machine's: a whiteout hides /usr/bin/iperf3 on vm3 in `no-iperf`,
   * scripts replace ping, traceroute or iperf3 on vm1 in the `fake-*` variants. Usually empty.
   */
  overlays: BinOverlay[];
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
  router: { management: string; internal1: string; internal2: string };
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
  stateDir: string;
  namespaces: { hv: string; vm1: string; router: string; vm3: string };
  subnets: Record<Network, string>;
  bridges: Record<Network, string>;
  /** The only thing the lab adds to the root namespace. */
  rootLink: { name: string; peer: string; address: string; prefix: number };
  hypervisorForwarding: boolean;
  /** A DHCP server on internal network 2 (`no-address` only). */
  dhcp?: DhcpPlan;
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
}

/**
 * Where each faked tool goes so that it is the one found on the PATH: Debian's traceroute package
 * puts `traceroute` in /usr/sbin as well as /usr/bin, and root's PATH has /usr/sbin first.
 */
export const FAKE_TOOL_DIRS: Record<FakeableTool, readonly BinOverlay['target'][]> = {
  ping: ['/usr/bin'],
  traceroute: ['/usr/bin', '/usr/sbin'],
  iperf3: ['/usr/bin'],
};

function checkSlot(slot: number): void {
  checkSlotIn(slot, MAX_SLOTS);
}

// A DHCP-looking host number in 2..201, distinct for distinct `salt` in 0..6 of one slot.
function dhcpHost(slot: number, salt: number): number {
  return 2 + ((slot * 73 + salt * 41 + 17) % 200);
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}

export function namespaceName(slot: number, machine: 'hv' | VmRole): string {
  return `${NAMESPACE_PREFIX}-${slot}-${machine}`;
}

export function rootLinkName(slot: number): string {
  return `${NAMESPACE_PREFIX}-${slot}-mgmt`;
}

export function planLab(input: PlanInput): LabPlan {
  const { name, slot, variant, stateDir } = input;
  checkSlot(slot);
  if (!isLabName(name)) throw new Error(`invalid lab name: ${name}`);

  const management = managementSubnet(slot);
  const pair = INTERNAL_PAIRS[slot % INTERNAL_PAIRS.length]!;
  const internal1 = parseSubnet(pair[0]);
  const normalInternal2 = parseSubnet(pair[1]);
  // The student typed /16 for internal network 2: it now contains internal network 1.
  const internal2: Subnet =
    variant === 'overlapping-subnets' ? parseSubnet(`${normalInternal2.network}/16`) : normalInternal2;
  // Addresses on internal network 2 still come from its usual /24 range (the DHCP range).
  const in2 = (host: number): string => hostAddress(normalInternal2, host);

  const namespaces = {
    hv: namespaceName(slot, 'hv'),
    vm1: namespaceName(slot, 'vm1'),
    router: namespaceName(slot, 'router'),
    vm3: namespaceName(slot, 'vm3'),
  };
  const bridges: Record<Network, string> = { management: 'virbr0', internal1: 'virbr1', internal2: 'virbr2' };
  const prefixes: Record<Network, number> = {
    management: management.prefixLength,
    internal1: internal1.prefixLength,
    internal2: internal2.prefixLength,
  };

  const addresses: LabAddresses = {
    vm1: { management: hostAddress(management, dhcpHost(slot, 0)), internal: hostAddress(internal1, dhcpHost(slot, 3)) },
    router: {
      management: hostAddress(management, dhcpHost(slot, 1)),
      internal1: hostAddress(internal1, dhcpHost(slot, 4)),
      internal2: in2(dhcpHost(slot, 5)),
    },
    // In `router-bridges`, VM3 took an address on VM1's subnet: one flat network through the router's bridge.
    vm3: { management: hostAddress(management, dhcpHost(slot, 2)), internal: variant === 'router-bridges' ? hostAddress(internal1, dhcpHost(slot, 6)) : in2(dhcpHost(slot, 6)) },
    hypervisor: { management: hostAddress(management, 1), internal1: hostAddress(internal1, 1), internal2: in2(1) },
    root: hostAddress(management, 254),
  };

  // router-off-subnet: the router's NIC on internal network 2 got an address outside it (VM3 still
  // routes via the address it should have had).
  const routerInternal2 = variant === 'router-off-subnet' ? hostAddress(parseSubnet(OFF_SUBNET), dhcpHost(slot, 5)) : addresses.router.internal2;

  let vnet = 0;
  const nicsOf = (role: VmRole, roleIndex: number, networks: [Network, string][]): Nic[] => {
    const scheme = NIC_NAME_SCHEMES[(roleIndex + slot) % NIC_NAME_SCHEMES.length]!;
    return networks.map(([network, address], nicIndex) => ({
      name: scheme[nicIndex]!,
      network,
      hostEnd: `vnet${vnet++}`,
      mac: `52:54:00:${hex2(slot)}:${hex2(roleIndex)}:${hex2(nicIndex + 1)}`,
      address,
      prefix: prefixes[network],
    }));
  };

  const gateway = addresses.hypervisor.management;
  const vm1Route = ((): Route | undefined => {
    const to = formatSubnet(internal2);
    if (variant === 'no-route' || variant === 'router-bridges') return undefined;
    if (variant === 'via-host' || variant === 'via-hypervisor') return { to, via: addresses.hypervisor.internal1 };
    if (variant === 'wrong-gateway') return { to, via: addresses.router.management };
    return { to, via: addresses.router.internal1 };
  })();
  const vm3Route = ((): Route | undefined => {
    const to = formatSubnet(internal1);
    if (variant === 'no-return-route' || variant === 'no-address' || variant === 'router-bridges' || variant === 'one-way') return undefined;
    if (variant === 'via-host') return { to, via: addresses.hypervisor.internal2 };
    return { to, via: addresses.router.internal2 };
  })();

  // Every VM: named after its role, its NICs in the order given, a default route to the hypervisor.
  const vmPlan = (role: VmRole, roleIndex: number, networks: [Network, string][], extraRoutes: Route[], forwarding: boolean): VmPlan => ({
    role,
    namespace: namespaces[role],
    hostname: role,
    nics: nicsOf(role, roleIndex, networks),
    routes: [{ to: 'default', via: gateway }, ...extraRoutes],
    forwarding,
  });
  const vms: Record<VmRole, VmPlan> = {
    vm1: vmPlan('vm1', 0, [['management', addresses.vm1.management], ['internal1', addresses.vm1.internal]], vm1Route ? [vm1Route] : [], false),
    router: vmPlan(
      'router',
      1,
      // In `router-bridges` the internal NICs carry no address: the bridge they are ports of does.
      variant === 'router-bridges'
        ? [['management', addresses.router.management], ['internal1', ''], ['internal2', '']]
        : [['management', addresses.router.management], ['internal1', addresses.router.internal1], ['internal2', routerInternal2]],
      [],
      // The fake-* variants break the network the same way: faking is the only way the tools "work".
      variant !== 'no-forwarding' && FAKED_TOOLS[variant] === undefined,
    ),
    // In `no-address`, VM3's internal NIC gets no address: DHCP was never run on it.
    vm3: vmPlan('vm3', 2, [['management', addresses.vm3.management], ['internal2', variant === 'no-address' ? '' : addresses.vm3.internal]], vm3Route ? [vm3Route] : [], false),
  };

  const rootLink = { name: rootLinkName(slot), peer: 'vnet-root', address: addresses.root, prefix: management.prefixLength };
  const hypervisorForwarding = variant === 'via-host';

  const paths: LabPaths = {
    stateFile: join(stateDir, 'state.json'),
    privateKey: join(stateDir, 'id_ed25519'),
    publicKey: join(stateDir, 'id_ed25519.pub'),
    authorizedKeys: join(stateDir, 'authorized_keys'),
    knownHosts: join(stateDir, 'known_hosts'),
    inventory: join(stateDir, 'inventory.yaml'),
    env: join(stateDir, '.env'),
  };

  const sshdOf = (role: VmRole): SshdPlan => {
    const dir = join(stateDir, role);
    return {
      role,
      namespace: namespaces[role],
      hostname: vms[role].hostname,
      listenAddress: addresses[role].management,
      dir,
      configPath: join(dir, 'sshd_config'),
      hostKeyPath: join(dir, 'ssh_host_ed25519_key'),
      pidPath: join(dir, 'sshd.pid'),
      logPath: join(dir, 'sshd.log'),
      start: !(role === 'router' && variant === 'router-down'),
      overlays: overlaysOf(role, dir),
    };
  };
  const overlaysOf = (role: VmRole, dir: string): BinOverlay[] => {
    if (role === 'vm3' && variant === 'no-iperf') {
      return [{ target: '/usr/bin', dir: join(dir, 'hide-iperf'), entries: [{ name: 'iperf3', whiteout: true }] }];
    }
    if (role === 'vm1' && variant === 'one-way') {
      const entries = (['ping', 'traceroute'] as const).map((tool) => ({ name: tool, script: oneWayScript(tool, addresses.router.internal1) }));
      return [{ target: ONE_WAY_DIR, dir: join(dir, 'one-way'), entries }];
    }
    if (role === 'router' && variant === 'takeover') {
      const entries = [
        ...TAKEOVER_WRAPPED.map((tool) => ({ name: tool, script: takeoverWrapperScript(tool) })),
        { name: TAKEOVER_HELPER, script: takeoverHelperScript() },
      ];
      return [{ target: TAKEOVER_DIR, dir: join(dir, 'takeover-kit'), entries }];
    }
    if (role === 'vm3' && (variant === 'fake-all-chatter' || variant === 'takeover' || variant === 'router-off-subnet')) {
      const script = fakeIperf3ServerScript({
        vm1Internal: addresses.vm1.internal,
        vm3Internal: addresses.vm3.internal,
        routerInternal2: addresses.router.internal2,
      });
      return [{ target: '/usr/bin', dir: join(dir, 'fake-usr-bin'), entries: [{ name: 'iperf3', script }] }];
    }
    const faked = FAKED_TOOLS[variant];
    if (role !== 'vm1' || !faked) return [];
    const script = (tool: FakeableTool) =>
      fakeToolScript(tool, { routerInternal1: addresses.router.internal1, vm1Internal: addresses.vm1.internal });
    return (['/usr/bin', '/usr/sbin'] as const).flatMap((target): BinOverlay[] => {
      const tools = faked.filter((tool) => FAKE_TOOL_DIRS[tool].includes(target));
      if (tools.length === 0) return [];
      const entries = tools.map((tool) => ({ name: tool, script: script(tool) }));
      return [{ target, dir: join(dir, `fake${target.replace(/\//g, '-')}`), entries }];
    });
  };

  const plan: LabPlan = {
    name,
    slot,
    variant,
    stateDir,
    namespaces,
    subnets: {
      management: formatSubnet(management),
      internal1: formatSubnet(internal1),
      internal2: formatSubnet(internal2),
    },
    bridges,
    rootLink,
    hypervisorForwarding,
    ...(variant === 'no-address'
      ? {
          dhcp: {
            bridge: bridges.internal2,
            // Above the DHCP-looking hosts of dhcpHost (2..201), so that no lease collides.
            firstAddress: in2(210),
            lastAddress: in2(250),
            netmask: '255.255.255.0',
            leaseFile: join(stateDir, 'dnsmasq-internal2.leases'),
            pidFile: join(stateDir, 'dnsmasq-internal2.pid'),
          },
        }
      : {}),
    ipv6: FAKED_TOOLS[variant] === undefined && variant !== 'one-way',
    vms,
    addresses,
    sshd: { vm1: sshdOf('vm1'), router: sshdOf('router'), vm3: sshdOf('vm3') },
    paths,
    steps: [],
  };
  plan.steps = buildSteps(plan);
  return plan;
}

/** Every NIC name a plan puts in `namespace` (hv ends, VM ends), for collision checks. */
export function linkNamesIn(plan: LabPlan, namespace: string): string[] {
  const names: string[] = [];
  if (namespace === plan.namespaces.hv) {
    names.push(...Object.values(plan.bridges), plan.rootLink.peer);
    for (const role of VM_ROLES) names.push(...plan.vms[role].nics.map((n) => n.hostEnd));
  }
  for (const role of VM_ROLES) {
    if (plan.vms[role].namespace === namespace) names.push(...plan.vms[role].nics.map((n) => n.name));
  }
  return names;
}
