// The routes on the path: VM1's toward VM3's network, the router's forwarding, VM3's back.
import { sh } from '../core/shell-quote.ts';
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import type { RouteDecision } from '../core/facts.ts';
import { formatSubnet, parseSubnet, subnetContains, subnetOf } from '../core/ipv4.ts';
import { ROLE_LABELS } from '../core/roles.ts';
import { routerAddressesOn, type Endpoint } from '../lab/topology.ts';
import type { LabView } from './lab-view.ts';
import { textsOf } from './subject-fields.ts';
import { persistRoute, persistSysctl } from './persistence.ts';
import { spareNics } from './nic-state.ts';
import { NIC_FORWARDING_OFF } from './forwarding.ts';
import { returnRouteNote } from './nat.ts';

function describe(d: RouteDecision): string {
  return [d.type !== 'unicast' ? d.type : '', d.destination, d.gateway && `via ${d.gateway}`, d.device && `dev ${d.device}`].filter(Boolean).join(' ');
}

type Verdict = { cause: 'missing' | 'route-bypasses-router' | 'wrong-gateway'; why: string } | undefined;

// Addresses of the hypervisor on the lab's networks, when it is known.
function hypervisorAddresses(view: LabView): string[] {
  return view.hypervisor?.networks.flatMap((n) => n.addresses.map((a) => a.address)) ?? [];
}

function routerAddresses(view: LabView): string[] {
  return view.facts.router?.interfaces.flatMap((n) => n.addresses.map((a) => a.address)) ?? [];
}

// Where the VM's route to the peer goes, against the router's address on its own network.
function judge(view: LabView, role: 'vm1' | 'vm3', own: Endpoint | undefined, peer: Endpoint, router: Endpoint | undefined, d: RouteDecision): Verdict {
  const facts = view.facts[role]!;
  const management = facts.management?.name;
  const label = ROLE_LABELS[role];
  if (d.type !== 'unicast') return { cause: 'missing', why: `${label} has no route to ${formatSubnet(peer.subnet)}${own ? ` (ip route get ${peer.address}: ${describe(d)})` : ''}` };
  // Via any of the router's addresses on the VM's network, out of its internal NIC, by whatever
  // route (a specific one, or the default route): that is the route the exercise asks for.
  const routerHere = own && view.facts.router ? routerAddressesOn(view.facts.router, own) : [];
  if (router && own && d.device === own.interface && d.gateway !== undefined && (d.gateway === router.address || routerHere.includes(d.gateway))) return undefined;
  const specific = facts.routes.some((r) => r.destination !== 'default' && safeContains(r.destination, peer.address));
  if (!specific && d.gateway !== undefined && d.gateway === facts.routes.find((r) => r.destination === 'default')?.gateway) {
    return { cause: 'missing', why: `${label} has no route to ${formatSubnet(peer.subnet)}: only its default route via ${d.gateway}${d.device === management ? ` on the management NIC ${d.device}` : ''}` };
  }
  if (!d.gateway) {
    if (own && d.device === own.interface) return { cause: 'wrong-gateway', why: `${label} sends to ${peer.address} straight out of ${d.device}, with no gateway, as if VM${role === 'vm1' ? 3 : 1} were on its network` };
    return { cause: 'route-bypasses-router', why: `${label} sends to ${peer.address} straight out of ${d.device ?? 'another NIC'}, not via the router` };
  }
  if (routerAddresses(view).includes(d.gateway)) {
    return { cause: 'wrong-gateway', why: `${label}'s route to ${formatSubnet(peer.subnet)} goes via ${d.gateway}, the router's address on another network${d.device === management ? ` (out of the management NIC ${d.device})` : ''}, not its ${router?.address ?? 'address'} on ${label}'s network` };
  }
  if (d.device === management) return { cause: 'route-bypasses-router', why: `${label}'s route to ${formatSubnet(peer.subnet)} goes via ${d.gateway} on the management network, not through the router` };
  const hop1 = firstHop(view, role);
  const answered = view.observed[role]?.neighbours.some((n) => n.address === d.gateway && n.mac !== undefined);
  if (hypervisorAddresses(view).includes(d.gateway) || hop1 === d.gateway || answered) {
    return { cause: 'route-bypasses-router', why: `${label}'s route to ${formatSubnet(peer.subnet)} goes via ${d.gateway}, a machine that is not the router (the hypervisor's bridge, when it is the network's .1)` };
  }
  return { cause: 'wrong-gateway', why: `${label}'s route to ${formatSubnet(peer.subnet)} goes via ${d.gateway}, which is not the router's ${router?.address ?? 'address'}` };
}

function safeContains(cidr: string, address: string): boolean {
  try {
    return subnetContains(parseSubnet(cidr), address);
  } catch {
    return false;
  }
}

// The first address that answered at hop 1 of the VM's trace (the traceroute kind's subject).
function firstHop(view: LabView, role: 'vm1' | 'vm3'): string | undefined {
  const r = view.results.find((x) => x.kind === 'traceroute' && x.host === role);
  return textsOf(r?.subject, 'firstHop')[0];
}

// VM1's route to VM3's network and VM3's back, each judged against the router's address.
export function vmRoutes(view: LabView): Diagnosis[] {
  const out: Diagnosis[] = [];
  const sides = [
    ['vm1', view.vm1, view.vm3, view.routerOnVm1, 'no-route'],
    ['vm3', view.vm3, view.vm1, view.routerOnVm3 ?? otherRouterEndpoint(view), 'no-return-route'],
  ] as const;
  for (const [role, own, peer, router, missingCause] of sides) {
    const facts = view.facts[role];
    // Without the router's address on this VM's network there is no right route to compare with.
    if (!facts || !peer || !router) continue;
    // A VM on no internal network: only a missing route can be told from its table.
    if (!own && tableHasRoute(view, role, peer.address)) continue;
    // On one flat network a route is beside the point: the addressing (overlapping-subnets) is the cause.
    if (own && subnetContains(own.subnet, peer.address)) continue;
    const d = own ? view.observed[role]?.routes[peer.address] : { destination: peer.address, type: 'unreachable' };
    if (!d) continue;
    const verdict = judge(view, role, own, peer, router, d);
    if (!verdict) continue;
    const to = formatSubnet(peer.subnet);
    const existing = facts.routes.find((r) => r.destination !== 'default' && safeContains(r.destination, peer.address));
    const label = ROLE_LABELS[role];
    const via = router.address;
    const verb = existing ? 'replace' : 'add';
    const cause = verdict.cause === 'missing' ? missingCause : verdict.cause;
    // A VM on no network yet: the NIC that will carry the address.
    const nic = own?.interface ?? spareNics(view, role)[0]?.name;
    out.push({
      cause,
      host: role,
      ...(nic ? { nic } : {}),
      summary:
        cause === missingCause
          ? `${verdict.why}: add one via the router's ${via}${role === 'vm3' ? returnRouteNote(view) : ''}.`
          : `${verdict.why}.`,
      fix: [sh`sudo ip route ${verb} ${to} via ${via}`],
      persist: persistRoute(to, via, nic ?? 'the internal NIC'),
      evidence: [own ? `ip route get ${peer.address} on ${label}: ${describe(d)}` : `${label}'s routes: ${facts.routes.map((r) => `${r.destination}${r.gateway ? ` via ${r.gateway}` : ''}`).join('; ')}`, ...(existing ? [`${label}'s route: ${existing.destination} via ${existing.gateway ?? '-'} dev ${existing.device ?? '-'}`] : [])],
      results: view.results.filter((r) => r.kind === 'routes' && r.host === role && r.status !== 'pass').map(resultName),
    });
  }
  return out;
}

function tableHasRoute(view: LabView, role: 'vm1' | 'vm3', address: string): boolean {
  return view.facts[role]?.routes.some((r) => r.destination !== 'default' && safeContains(r.destination, address)) ?? false;
}

// With VM3 on no network, the router's internal address that is not on VM1's network.
function otherRouterEndpoint(view: LabView): Endpoint | undefined {
  const router = view.facts.router;
  if (!router || view.vm3) return undefined;
  const candidates = router.internal.flatMap((nic) => nic.addresses.map((a) => ({ nic: nic.name, ...a }))).filter((a) => a.address !== view.routerOnVm1?.address);
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (!only) return undefined;
  return { interface: only.nic, address: only.address, prefixLength: only.prefixLength, subnet: subnetOf(only.address, only.prefixLength) };
}

const UNMOUNT_IP_FORWARD = "if grep -q ' /proc/sys/net/ipv4/ip_forward ' /proc/self/mountinfo; then sudo umount /proc/sys/net/ipv4/ip_forward; fi";

export function forwardingOff(view: LabView): Diagnosis[] {
  const result = view.results.find((r) => r.kind === 'ip-forward' && r.host === 'router');
  const observed = view.observed.router?.ipForward;
  // The check read ip_forward through a witness channel, which no program of the router's PATH
  // shares; the observation after the checks ran in a command session that one could take over.
  // (A NIC of the path with its own forwarding off is forwarding.ts's.)
  // A pass the command session contradicts (a hook that answers witness channels, issue 25 item 1):
  // the two reads of one file disagree, and the traffic failed; the session's 0 is the likelier truth.
  const off = (result?.status === 'fail' && result.reason !== NIC_FORWARDING_OFF) || observed === '0';
  if (!off) return [];
  // The file read 1 but the kernel does not forward (issue 25, item 2): a file mounted over it
  // takes sysctl's write too, so it goes first.
  const shown = result?.reason === 'forwarding-contradicted';
  return [
    {
      cause: 'forwarding-off',
      host: 'router',
      summary: shown
        ? "The router does not forward packets between its NICs: its kernel's forwarding is off, although /proc/sys/net/ipv4/ip_forward reads 1."
        : 'The router does not forward packets between its NICs: net.ipv4.ip_forward is 0.',
      fix: [...(shown ? [UNMOUNT_IP_FORWARD] : []), 'sudo sysctl -w net.ipv4.ip_forward=1'],
      persist: persistSysctl('net.ipv4.ip_forward=1'),
      evidence: [shown ? `on the router: ${result?.actual ?? 'ip_forward reads 1, the kernel does not forward'}` : 'cat /proc/sys/net/ipv4/ip_forward on the router: 0'],
      results: result && result.status !== 'pass' ? [resultName(result)] : [],
    },
  ];
}
