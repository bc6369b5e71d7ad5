// The VMs on their networks: an internal NIC without an address, a NIC down, the router missing
// from a network, subnets that overlap or a router that bridges them into one.
import { sh } from '../core/shell-quote.ts';
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import { formatSubnet, subnetContains, subnetOf, subnetsOverlap, type Subnet } from '../core/ipv4.ts';
import { ROLE_LABELS, type Role } from '../core/roles.ts';
import type { Endpoint } from '../lab/topology.ts';
import { notPassed, type LabView } from './lab-view.ts';
import { describeNic, downness, linkOf, spareNics } from './nic-state.ts';
import { persistAddress, persistDhcp } from './persistence.ts';
import { addressOnManagementNic } from './misplaced-address.ts';

const VM_NETWORK: Record<'vm1' | 'vm3', string> = { vm1: 'internal network 1', vm3: 'internal network 2' };

// The addressing plan's results (the subnets kind's), when they did not pass.
function subnetsResult(view: LabView): string[] {
  return notPassed(view, ['subnets']);
}

// VM1 or VM3 with no address but its management one; the router with none on a VM's network.
export function missingAddresses(view: LabView): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const role of ['vm1', 'vm3'] as const) {
    const facts = view.facts[role];
    if (!facts || facts.internal.length > 0) continue;
    const nic = spareNics(view, role)[0];
    const label = ROLE_LABELS[role];
    if (!nic) {
      out.push({
        cause: 'no-internal-address',
        host: role,
        summary: `${label} has only its management NIC: it needs a second NIC on ${VM_NETWORK[role]}.`,
        fix: [
          `virt-manager: ${label} > Show virtual hardware details > Add Hardware > Network: source ${VM_NETWORK[role]}, device model virtio > Finish`,
          `sudo dhclient -v NEW_NIC   # on ${label}, with the new NIC's name from \`ip link\``,
        ],
        evidence: [`${label}'s NICs: ${facts.interfaces.filter((i) => i.name !== 'lo').map((i) => i.name).join(', ')}`],
        results: subnetsResult(view),
      });
      continue;
    }
    const down = downness(view, role, nic.name) === 'admin';
    // Every check that needed the address failed saying so.
    const unmet = view.results.filter((r) => r.status !== 'pass' && r.reason === 'no-internal-address' && r.subject?.host === role).map(resultName);
    const moved = addressOnManagementNic(view, role, nic);
    if (moved) {
      out.push({ ...moved, results: [...new Set([...subnetsResult(view), ...unmet])] });
      continue;
    }
    out.push({
      cause: 'no-internal-address',
      host: role,
      nic: nic.name,
      summary: `${label}'s internal NIC ${nic.name} has no IPv4 address${down ? ' and is down' : ''}: DHCP was not run on it (or ${VM_NETWORK[role]} has no DHCP).`,
      fix: [...(down ? [sh`sudo ip link set ${nic.name} up`] : []), sh`sudo dhclient -v ${nic.name}`],
      persist: persistDhcp(nic.name),
      evidence: [describeNic(view, role, nic.name)],
      results: [...new Set([...subnetsResult(view), ...unmet])],
    });
  }
  return out;
}

// The NICs on the path, set down or without carrier.
export function downLinks(view: LabView): Array<Diagnosis & { role: Role }> {
  const path: Array<[Role, Endpoint | undefined]> = [
    ['vm1', view.vm1],
    ['router', view.routerOnVm1],
    ['router', view.routerOnVm3],
    ['vm3', view.vm3],
  ];
  const out: Array<Diagnosis & { role: Role }> = [];
  for (const [role, endpoint] of path) {
    if (!endpoint) continue;
    const how = downness(view, role, endpoint.interface);
    if (!how) continue;
    const label = ROLE_LABELS[role];
    const domain = view.hypervisor?.domains[role]?.domain ?? 'DOMAIN';
    const mac = view.facts[role]?.interfaces.find((i) => i.name === endpoint.interface)?.mac ?? 'MAC';
    out.push({
      role,
      cause: 'link-down',
      host: role,
      nic: endpoint.interface,
      summary:
        how === 'admin'
          ? `${label}'s NIC ${endpoint.interface} (${endpoint.address}) is down: nothing goes in or out of it.`
          : `${label}'s NIC ${endpoint.interface} (${endpoint.address}) has no link: its virtual cable is unplugged.`,
      fix:
        how === 'admin'
          ? [sh`sudo ip link set ${endpoint.interface} up`]
          : [`${sh`virsh domif-setlink ${domain} ${mac} up`}   # on the hypervisor (virt-manager: the NIC's "Link state: active")`],
      ...(how === 'admin' ? { persist: persistDhcp(endpoint.interface) } : {}),
      evidence: [describeNic(view, role, endpoint.interface)],
      results: [],
    });
  }
  return out;
}

// The router has no address on a VM's internal network: a NIC without one, or none on that network.
export function routerOffNetwork(view: LabView): Diagnosis[] {
  const router = view.facts.router;
  if (!router) return [];
  const out: Diagnosis[] = [];
  const spare = spareNics(view, 'router');
  for (const [role, own, onIt] of [['vm1', view.vm1, view.routerOnVm1], ['vm3', view.vm3, view.routerOnVm3]] as const) {
    if (!own || onIt) continue;
    const subnet = formatSubnet(own.subnet);
    const nic = spare.shift();
    if (nic) {
      const down = downness(view, 'router', nic.name) === 'admin';
      out.push({
        cause: 'no-internal-address',
        host: 'router',
        nic: nic.name,
        summary: `The router has no address on ${ROLE_LABELS[role]}'s network ${subnet}: its NIC ${nic.name} has no IPv4 address${down ? ' and is down' : ''}.`,
        fix: [...(down ? [sh`sudo ip link set ${nic.name} up`] : []), sh`sudo dhclient -v ${nic.name}`],
        persist: persistDhcp(nic.name),
        evidence: [describeNic(view, 'router', nic.name), `${ROLE_LABELS[role]}: ${own.address}/${own.prefixLength} on ${own.interface}`],
        results: subnetsResult(view),
      });
      continue;
    }
    out.push({
      cause: 'router-not-on-network',
      host: 'router',
      summary: `The router has no NIC on ${ROLE_LABELS[role]}'s internal network ${subnet}.`,
      fix: [
        `virt-manager: the router VM > Show virtual hardware details > its third NIC (or Add Hardware > Network) > Network source: ${VM_NETWORK[role]}, device model virtio`,
        'sudo dhclient -v NIC   # on the router, with that NIC\'s name from `ip link`',
      ],
      evidence: [`router: ${router.internal.map((n) => `${n.name} ${n.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(' ')}`).join('; ') || 'no internal address'}`],
      results: subnetsResult(view),
    });
  }
  return out;
}

function narrowed(endpoint: Endpoint, prefixLength: number, other: Subnet): Subnet | undefined {
  const shrunk = subnetOf(endpoint.address, prefixLength);
  return subnetsOverlap(shrunk, other) ? undefined : shrunk;
}

// VM1's and VM3's subnets overlap (one contains the other): the wider one is narrowed to the
// other's prefix where that separates them, on the VM and on the router's NIC on that network.
export function overlaps(view: LabView): Diagnosis[] {
  const { vm1, vm3 } = view;
  if (!vm1 || !vm3) return [];
  const bridge = routerBridge(view);
  if (bridge) return [bridge];
  if (!subnetsOverlap(vm1.subnet, vm3.subnet)) return managementOverlaps(view);
  const results = [...subnetsResult(view), ...notPassed(view, ['routes'])];
  const s1 = formatSubnet(vm1.subnet);
  const s3 = formatSubnet(vm3.subnet);
  if (s1 === s3) {
    return [
      {
        cause: 'overlapping-subnets',
        host: 'lab',
        summary: `VM1 (${vm1.address}) and VM3 (${vm3.address}) are on one network ${s1}: VM3 must be on internal network 2, with its own subnet, behind the router.`,
        fix: [
          "virt-manager: VM3 > Show virtual hardware details > its second NIC > Network source: internal network 2 (a network of its own, with a subnet that is not VM1's)",
          `${sh`sudo dhclient -v ${vm3.interface}`}   # on VM3, for an address on internal network 2`,
        ],
        evidence: [`VM1 ${vm1.address}/${vm1.prefixLength} on ${vm1.interface}`, `VM3 ${vm3.address}/${vm3.prefixLength} on ${vm3.interface}`],
        results,
      },
    ];
  }
  const [wide, wideRole, narrow, routerSide] =
    vm3.subnet.prefixLength < vm1.subnet.prefixLength ? ([vm3, 'vm3', vm1, view.routerOnVm3] as const) : ([vm1, 'vm1', vm3, view.routerOnVm1] as const);
  const shrunk = narrowed(wide, narrow.subnet.prefixLength, narrow.subnet);
  const label = ROLE_LABELS[wideRole];
  const evidence = [`VM1 ${vm1.address}/${vm1.prefixLength} (${s1})`, `VM3 ${vm3.address}/${vm3.prefixLength} (${s3})`];
  if (!shrunk) {
    return [
      {
        cause: 'overlapping-subnets',
        host: 'lab',
        summary: `VM1's subnet ${s1} and VM3's ${s3} overlap: give the two internal networks subnets that do not.`,
        fix: ['virsh net-edit NETWORK   # on the hypervisor: the <ip address=... netmask=...> and DHCP range of one internal network', 'sudo dhclient -v NIC   # on each VM of that network, then the routes again'],
        evidence,
        results,
      },
    ];
  }
  const newPrefix = shrunk.prefixLength;
  const other = wideRole === 'vm3' ? view.routerOnVm3 : view.routerOnVm1;
  const peerSubnet = formatSubnet(narrow.subnet);
  const out: Diagnosis[] = [
    {
      cause: 'overlapping-subnets',
      host: wideRole,
      nic: wide.interface,
      summary: `${label}'s subnet ${formatSubnet(wide.subnet)} contains the other internal network ${peerSubnet}: its address ${wide.address} must be a /${newPrefix} (${formatSubnet(shrunk)}).`,
      fix: [
        sh`sudo ip addr del ${`${wide.address}/${wide.prefixLength}`} dev ${wide.interface}`,
        sh`sudo ip addr add ${`${wide.address}/${newPrefix}`} dev ${wide.interface}`,
        ...(other ? [sh`sudo ip route replace ${peerSubnet} via ${other.address}`] : []),
      ],
      persist: persistAddress(wide.interface, `${wide.address}/${newPrefix}`),
      evidence,
      results,
    },
  ];
  if (routerSide && routerSide.prefixLength !== newPrefix) {
    out.push({
      cause: 'overlapping-subnets',
      host: 'router',
      nic: routerSide.interface,
      summary: `The router's address ${routerSide.address}/${routerSide.prefixLength} on ${label}'s network has the same too-wide prefix: it must be a /${newPrefix}.`,
      fix: [sh`sudo ip addr del ${`${routerSide.address}/${routerSide.prefixLength}`} dev ${routerSide.interface}`, sh`sudo ip addr add ${`${routerSide.address}/${newPrefix}`} dev ${routerSide.interface}`],
      persist: persistAddress(routerSide.interface, `${routerSide.address}/${newPrefix}`),
      evidence: [`router ${routerSide.interface} ${routerSide.address}/${routerSide.prefixLength}`],
      results: subnetsResult(view),
    });
  }
  return out;
}

function managementOverlaps(view: LabView): Diagnosis[] {
  return (['vm1', 'vm3'] as const).flatMap((role): Diagnosis[] => {
    const own = role === 'vm1' ? view.vm1 : view.vm3;
    const m = own && view.management.find((s) => subnetsOverlap(s, own.subnet));
    if (!own || !m) return [];
    return [
      {
        cause: 'overlapping-subnets',
        host: 'lab',
        nic: own.interface,
        summary: `${ROLE_LABELS[role]}'s internal subnet ${formatSubnet(own.subnet)} overlaps the management network ${formatSubnet(m)}: give ${VM_NETWORK[role]} a subnet of its own.`,
        fix: [`virsh net-edit NETWORK   # on the hypervisor: ${VM_NETWORK[role]}'s <ip address=... netmask=...> and DHCP range, outside ${formatSubnet(m)}`, `${sh`sudo dhclient -v ${own.interface}`}   # on ${ROLE_LABELS[role]}, after the network is restarted`],
        evidence: [`${ROLE_LABELS[role]} ${own.address}/${own.prefixLength}`, `management ${formatSubnet(m)}`],
        results: subnetsResult(view),
      },
    ];
  });
}

// The router joins its internal NICs in a bridge: VM1 and VM3 share one flat network, nothing is routed.
function routerBridge(view: LabView): Diagnosis | undefined {
  const onVm1 = view.routerOnVm1;
  const router = view.facts.router;
  if (!onVm1 || !router) return undefined;
  const ports = view.observed.router?.links.filter((l) => l.master === onVm1.interface) ?? [];
  if (ports.length < 2 || !linkOf(view, 'router', onVm1.interface)) return undefined;
  const vm1 = view.vm1!;
  const vm3 = view.vm3;
  const flat = vm3 && subnetContains(vm1.subnet, vm3.address);
  return {
    cause: 'overlapping-subnets',
    host: 'router',
    nic: onVm1.interface,
    summary: `The router bridges ${ports.map((p) => p.name).join(' and ')} into ${onVm1.interface} instead of routing between them${flat ? `: VM1 and VM3 are on one flat network ${formatSubnet(vm1.subnet)}` : ''}.`,
    fix: [
      sh`sudo ip link del ${onVm1.interface}`,
      ...ports.map((p) => sh`sudo dhclient -v ${p.name}`),
      `# then VM3 needs an address on internal network 2${vm3 ? ` (on VM3: ${sh`sudo dhclient -v ${vm3.interface}`})` : ''}, and VM1 and VM3 a route to each other's network via the router`,
    ],
    evidence: ports.map((p) => `${p.name}: port of ${p.master}`),
    results: [...subnetsResult(view), ...notPassed(view, ['routes'])],
  };
}
