// The whole lab computed from (name, slot, variant, state dir): names, addresses, commands. Pure.
import { join } from 'node:path';
import { formatSubnet, hostAddress, intToIpv4, parseSubnet, type Subnet } from '../../grader/core/ipv4.ts';
import { isLabName } from '../kit/lab-name.ts';
import { checkSlot as checkSlotIn } from '../kit/slot.ts';
import { overlaysFor } from './overlays.ts';
import type { DhcpPlan, LabAddresses, LabPaths, LabPlan, Nic, PlanInput, Route, SshdPlan, VmPlan } from './plan-types.ts';
import { VM_ROLES, type Network, type VmRole } from './roles.ts';
import { buildSteps } from './steps.ts';
import type { RouteVia } from './variant-spec.ts';
import { variantSpec } from './variants.ts';

export type * from './plan-types.ts';
export { VM_ROLES, type Network, type VmRole };
export { FAKE_TOOL_DIRS } from './overlays.ts';

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

/** Where `router-off-subnet` puts the router's address on internal network 2: in no lab's subnet. */
export const OFF_SUBNET = '10.254.0.0/24';

/** Realistic internal network pairs; a lab uses pair `slot % 4`. */
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

// `255.255.255.192` for a /26.
function netmaskOf(network: Subnet): string {
  return intToIpv4(network.prefixLength === 0 ? 0 : (0xffffffff << (32 - network.prefixLength)) >>> 0);
}

export function planLab(input: PlanInput): LabPlan {
  const { name, slot, variant, stateDir, addressing } = input;
  checkSlot(slot);
  if (!isLabName(name)) throw new Error(`invalid lab name: ${name}`);
  const changes = variantSpec(variant).changes;

  const management = managementSubnet(slot);
  const pair = addressing ? [addressing.vm1Network, addressing.vm3Network] : INTERNAL_PAIRS[slot % INTERNAL_PAIRS.length]!;
  const internal1 = parseSubnet(pair[0]);
  const normalInternal2 = parseSubnet(pair[1]);
  // The student may have typed another prefix for internal network 2 (a /16 contains network 1).
  const internal2: Subnet =
    changes.internal2Prefix === undefined ? normalInternal2 : parseSubnet(`${normalInternal2.network}/${changes.internal2Prefix}`);
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

  // On a student's plan, VM1 and VM3 take addresses from the upper half of their network (the
  // handout's DHCP range) and the router has the planned ones.
  const vmHost = (network: Subnet, salt: number) => {
    if (!addressing) return dhcpHost(slot, salt);
    const half = 2 ** (32 - network.prefixLength) / 2;
    return half + (dhcpHost(slot, salt) % (half - 1));
  };
  const routerInternal1 = addressing ? addressing.routerOnVm1 : hostAddress(internal1, dhcpHost(slot, 4));
  const routerInternal2Planned = addressing ? addressing.routerOnVm3 : in2(dhcpHost(slot, 5));
  // VM3's address as the variant has it: on VM1's subnet, the router's own, or its own on network 2.
  const vm3Internal = (): string => {
    if (changes.vm3Address === 'on-internal1') return hostAddress(internal1, vmHost(internal1, 6));
    if (changes.vm3Address === 'router-internal2') return routerInternal2Planned;
    return in2(vmHost(normalInternal2, 6));
  };
  const addresses: LabAddresses = {
    vm1: { management: hostAddress(management, dhcpHost(slot, 0)), internal: hostAddress(internal1, vmHost(internal1, 3)) },
    router: {
      management: hostAddress(management, dhcpHost(slot, 1)),
      internal1: routerInternal1,
      internal2: routerInternal2Planned,
      // Salt 7 differs from salts 0..6 modulo 200 (41 * k for k in 1..7), so it collides with none.
      ...(changes.routerInternal1SecondAddress ? { internal1Second: hostAddress(internal1, vmHost(internal1, 7)) } : {}),
    },
    vm3: {
      management: hostAddress(management, dhcpHost(slot, 2)),
      internal: vm3Internal(),
    },
    hypervisor: { management: hostAddress(management, 1), internal1: hostAddress(internal1, 1), internal2: in2(1) },
    root: hostAddress(management, 254),
  };

  // An address outside internal network 2 on the router's NIC there (VM3 still routes via the
  // address it should have had).
  const routerInternal2 = changes.routerInternal2OffSubnet ? hostAddress(parseSubnet(OFF_SUBNET), dhcpHost(slot, 5)) : addresses.router.internal2;

  // A NIC as a VM has it: its network, its address ('' for none), and, where a variant wants them,
  // further addresses, or the network whose prefix its address has (an address of another network).
  type NicSpec = [Network, string] | [Network, string, { extraAddresses?: string[]; addressNetwork?: Network }];
  let vnet = 0;
  const nicsOf = (role: VmRole, roleIndex: number, networks: NicSpec[]): Nic[] => {
    const scheme = NIC_NAME_SCHEMES[(roleIndex + slot) % NIC_NAME_SCHEMES.length]!;
    return networks.map(([network, address, extras], nicIndex) => ({
      name: scheme[nicIndex]!,
      network,
      hostEnd: `vnet${vnet++}`,
      mac: `52:54:00:${hex2(slot)}:${hex2(roleIndex)}:${hex2(nicIndex + 1)}`,
      address,
      prefix: prefixes[extras?.addressNetwork ?? network],
      ...(extras?.extraAddresses ? { extraAddresses: extras.extraAddresses } : {}),
    }));
  };

  const gateway = addresses.hypervisor.management;
  // Each VM's route toward the other internal network, as the variant has it.
  const routeVia = (to: Subnet, via: RouteVia, side: 'internal1' | 'internal2'): Route[] => {
    const address = {
      router: addresses.router[side],
      hypervisor: addresses.hypervisor[side],
      'router-management': addresses.router.management,
      'router-second-address': side === 'internal1' ? addresses.router.internal1Second : undefined,
      'default-via-router': undefined,
      none: undefined,
    }[via];
    return address === undefined ? [] : [{ to: formatSubnet(to), via: address }];
  };
  // The default route: the hypervisor's, or the router's on the VM's internal network.
  const defaultVia = (via: RouteVia | undefined, side: 'internal1' | 'internal2'): string => (via === 'default-via-router' ? addresses.router[side] : gateway);

  // Every VM: named after its role, its NICs in the order given, a default route (to the hypervisor).
  const vmPlan = (role: VmRole, roleIndex: number, networks: NicSpec[], extraRoutes: Route[], forwarding: boolean, defaultRoute = gateway): VmPlan => ({
    role,
    namespace: namespaces[role],
    hostname: role,
    nics: nicsOf(role, roleIndex, networks),
    routes: [{ to: 'default', via: defaultRoute }, ...extraRoutes],
    forwarding,
  });
  // VM1's NICs: its internal address typed on the management NIC, or where it belongs.
  const vm1Nics: NicSpec[] = changes.vm1AddressOnManagementNic
    ? [['management', addresses.vm1.management, { extraAddresses: [`${addresses.vm1.internal}/${prefixes.internal1}`] }], ['internal1', '']]
    : [['management', addresses.vm1.management], ['internal1', addresses.vm1.internal]];
  const routerInternal1Nic: NicSpec = addresses.router.internal1Second
    ? ['internal1', addresses.router.internal1, { extraAddresses: [`${addresses.router.internal1Second}/${prefixes.internal1}`] }]
    : ['internal1', addresses.router.internal1];
  const vms: Record<VmRole, VmPlan> = {
    vm1: vmPlan('vm1', 0, vm1Nics, routeVia(internal2, changes.vm1Route ?? 'router', 'internal1'), false, defaultVia(changes.vm1Route, 'internal1')),
    router: vmPlan(
      'router',
      1,
      // A bridge of the internal NICs carries the address; the NICs themselves none.
      changes.routerBridgesInternalNics
        ? [['management', addresses.router.management], ['internal1', ''], ['internal2', '']]
        : changes.routerInternalAddressesSwapped
          ? [['management', addresses.router.management], ['internal1', routerInternal2, { addressNetwork: 'internal2' }], ['internal2', addresses.router.internal1, { addressNetwork: 'internal1' }]]
          : [['management', addresses.router.management], routerInternal1Nic, ['internal2', routerInternal2]],
      [],
      !changes.routerForwardingOff,
    ),
    // DHCP never run: VM3's internal NIC has no address.
    vm3: vmPlan(
      'vm3',
      2,
      [['management', addresses.vm3.management], ['internal2', changes.vm3Address === 'dhcp-never-run' ? '' : addresses.vm3.internal]],
      routeVia(internal1, changes.vm3Route ?? 'router', 'internal2'),
      false,
      defaultVia(changes.vm3Route, 'internal2'),
    ),
  };

  const rootLink = { name: rootLinkName(slot), peer: 'vnet-root', address: addresses.root, prefix: management.prefixLength };

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
      dhclientLeasePath: join(dir, 'dhclient.leases'),
      dhclientPidPath: join(dir, 'dhclient.pid'),
      start: !(role === 'router' && changes.routerSshdStopped),
      overlays: overlaysFor(changes.tools?.[role] ?? [], dir, addresses),
      ...(role === 'router' && changes.routerIpForwardMounted ? { ipForwardShows: '1' as const } : {}),
    };
  };

  // The DHCP servers the hypervisor runs on the internal networks, as libvirt does: each VM NIC's
  // reservation is the address the exercise as asked gives it (not a variant's mistake); the
  // dynamic range lies above the DHCP-looking hosts of dhcpHost (2..201), so that none collides.
  const asAsked: Record<'internal1' | 'internal2', Partial<Record<VmRole, string>>> = {
    internal1: { vm1: hostAddress(internal1, vmHost(internal1, 3)), router: addressing ? addressing.routerOnVm1 : hostAddress(internal1, dhcpHost(slot, 4)) },
    internal2: { router: addressing ? addressing.routerOnVm3 : in2(dhcpHost(slot, 5)), vm3: in2(vmHost(normalInternal2, 6)) },
  };
  // On a student's plan the network may be smaller than a /24: the dynamic range is the top of it.
  const dynamicRange = (network: Subnet): [number, number] => {
    if (!addressing) return [210, 250];
    const size = 2 ** (32 - network.prefixLength);
    return [size - 2 - Math.min(40, size / 4), size - 2];
  };
  const dhcp: DhcpPlan[] = (['internal1', 'internal2'] as const).map((network) => {
    const at = network === 'internal1' ? (host: number) => hostAddress(internal1, host) : in2;
    return {
      network,
      bridge: bridges[network],
      reservations: VM_ROLES.flatMap((role) =>
        vms[role].nics.filter((n) => n.network === network).map((n) => ({ mac: n.mac, address: asAsked[network][role]! })),
      ),
      firstAddress: at(dynamicRange(network === 'internal1' ? internal1 : normalInternal2)[0]),
      lastAddress: at(dynamicRange(network === 'internal1' ? internal1 : normalInternal2)[1]),
      netmask: addressing ? netmaskOf(network === 'internal1' ? internal1 : normalInternal2) : '255.255.255.0',
      leaseFile: join(stateDir, `dnsmasq-${network}.leases`),
      pidFile: join(stateDir, `dnsmasq-${network}.pid`),
    };
  });

  const plan: LabPlan = {
    name,
    slot,
    variant,
    changes,
    stateDir,
    namespaces,
    subnets: {
      management: formatSubnet(management),
      internal1: formatSubnet(internal1),
      internal2: formatSubnet(internal2),
    },
    bridges,
    rootLink,
    hypervisorForwarding: changes.hypervisorForwards === true,
    dhcp,
    ipv6: !changes.ipv6Off,
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
