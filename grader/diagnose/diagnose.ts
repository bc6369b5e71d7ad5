// The diagnosis of a graded lab: follow the packet as the collected state predicts it travels
// (VM1's NIC and route, the router's NICs, forwarding and firewall, VM3's NIC and route back) and
// name the root causes, first on the path first. Pure: it reads facts, results and observations.
import type { Diagnosis } from '../core/diagnosis.ts';
import { resultName } from '../core/diagnosis.ts';
import { downLinks, missingAddresses, overlaps, routerOffNetwork } from './addressing.ts';
import { addressConflicts } from './conflicts.ts';
import { consistentWith } from './consistency.ts';
import { staleNeighbours } from './neighbours.ts';
import { firewalls, losses, stopOf } from './filtering.ts';
import { isTraffic, labView, type DiagnosisInput, type LabView } from './lab-view.ts';
import { isLossy, isSlow, missingTools, notVirtio, slowPaths } from './quality.ts';
import { unreachableVms } from './reachability.ts';
import { forwardingOff, vmRoutes } from './routing.ts';
import { admitPorts, unreadFirewalls } from './admitted-ports.ts';
import { mtuBlackholes } from './path-mtu.ts';
import { silentRouter } from './router-silent.ts';
import { swappedAddresses } from './swapped-addresses.ts';
import { nicForwardingOff } from './forwarding.ts';
import { natOnRouter } from './nat.ts';

export type { DiagnosisInput, HostView } from './lab-view.ts';

// Traffic results that failed because the path is broken or wrong (not a missing tool, not only
// slow or lossy): every cause on the path explains them.
function brokenTraffic(view: LabView, toolResults: Set<string>): string[] {
  return view.results
    .filter((r) => isTraffic(r) && r.status !== 'pass' && !isSlow(r) && !isLossy(r))
    .map(resultName)
    .filter((n) => !toolResults.has(n));
}

// Where on the path a cause sits: its rank orders the "What to fix" list.
function rank(d: Diagnosis): number {
  const side = { vm1: 10, lab: 20, router: 30, vm3: 40 }[d.host];
  const within: Partial<Record<Diagnosis['cause'], number>> = {
    'no-internal-address': 0,
    'address-conflict': 0,
    'link-down': 1,
    'overlapping-subnets': 2,
    'router-not-on-network': 2,
    'addresses-swapped': 2,
    'no-route': 3,
    'route-bypasses-router': 3,
    'wrong-gateway': 3,
    'no-return-route': 3,
    'forwarding-off': 4,
    'stale-neighbour': 4,
    filtered: 5,
    'mtu-blackhole': 6,
    'router-silent': 6,
    'nat-on-router': 6,
  };
  if (d.cause === 'unreachable-vm' || d.cause === 'login-refused') return 0;
  const quality = { 'packet-loss': 100, 'slow-path': 110, 'tool-missing': 120, 'not-virtio': 130 } as Partial<Record<Diagnosis['cause'], number>>;
  return quality[d.cause] ?? side + (within[d.cause] ?? 9);
}

export function diagnose(input: DiagnosisInput): Diagnosis[] {
  const view = labView(input);
  const tools = missingTools(view);
  const traffic = brokenTraffic(view, new Set(tools.flatMap((d) => d.results)));
  // No cause a passing check refutes (consistency.ts): neither named nor counted as breaking the path.
  const path: Diagnosis[] = consistentWith([
    ...unreachableVms(view),
    ...missingAddresses(view),
    ...downLinks(view).map(({ role: _role, ...d }) => d),
    ...addressConflicts(view),
    ...overlaps(view),
    ...routerOffNetwork(view),
    ...swappedAddresses(view),
    ...vmRoutes(view),
    ...forwardingOff(view),
    ...staleNeighbours(view),
    ...nicForwardingOff(view),
    ...natOnRouter(view),
  ], view.results);
  const breaking = path.filter((d) => d.cause !== 'unreachable-vm' && d.cause !== 'login-refused' && !(d.cause === 'overlapping-subnets' && traffic.length === 0));
  // A firewall is a cause where no other cause sits on that machine, and, when other causes
  // break the path, only where the router's counters saw the packets stop.
  // Frames sent to a MAC no NIC has may be flooded to the router and counted there: its counters then place nothing.
  const stop = path.some((d) => d.cause === 'stale-neighbour') ? undefined : stopOf(view);
  const filters = admitPorts(view, firewalls(view, traffic, stop).filter((f) => !path.some((p) => p.host === f.host) && (breaking.length === 0 || stop === f.host)));
  // With the path whole, what only some traffic meets: a smaller MTU, a router silent to traceroute.
  const quiet = breaking.length === 0 ? [...mtuBlackholes(view), ...silentRouter(view), ...unreadFirewalls(view, [...path, ...filters])] : [];
  // The path causes explain the broken traffic results; with none, a firewall does.
  for (const d of breaking) d.results = unique([...d.results, ...traffic]);
  const slow = slowPaths(view);
  const lossy = losses(view, []);
  const all = consistentWith([...path, ...filters, ...quiet, ...lossy, ...slow, ...tools, ...notVirtio(view)], view.results);
  return all
    .map((d, i) => ({ d, i, r: rank(d) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ d }) => ({ ...d, summary: d.summary.charAt(0).toUpperCase() + d.summary.slice(1) }));
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
