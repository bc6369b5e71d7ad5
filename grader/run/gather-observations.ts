// After the checks: what the diagnosis needs that the checks did not ask, in one command per VM
// (concurrently, through each VM's command session), and, when a traffic check did not pass, a
// short probe: the router's counters around three pings from VM1 to VM3. Nothing runs before or
// during the measurements. Never throws: what cannot be read is left out.
import type { CheckResult } from '../core/result.ts';
import { ROLES, type Role } from '../core/roles.ts';
import { observationCommand, parseObservations, PROBE_COUNT, type HostObservations, type Observations, type PathProbe } from '../diagnose/observations.ts';
import { isTraffic } from '../diagnose/lab-view.ts';
import { readCounters, routerPath, type Counters } from '../checks/router-counters.ts';
import type { LabAccess, HostState } from '../lab/lab-access.ts';
import { internalEndpoint } from '../lab/topology.ts';
import { parsePing } from '../parse/ping.ts';
import { evidenceOf } from '../core/command-output.ts';
import { sh } from '../transport/shell-quote.ts';

function factsOf(hosts: ReadonlyMap<Role, HostState>, role: Role) {
  const s = hosts.get(role);
  return s && 'facts' in s ? s.facts : undefined;
}

// The addresses each VM is asked `ip route get` about: the far VM; both VMs for the router.
function routeTargets(hosts: ReadonlyMap<Role, HostState>): Record<Role, string[]> {
  const router = factsOf(hosts, 'router');
  const vm1 = factsOf(hosts, 'vm1');
  const vm3 = factsOf(hosts, 'vm3');
  const a1 = vm1 && internalEndpoint(vm1, router)?.address;
  const a3 = vm3 && internalEndpoint(vm3, router)?.address;
  const list = (...xs: Array<string | undefined>) => xs.filter((x): x is string => x !== undefined);
  return { vm1: list(a3), router: list(a1, a3), vm3: list(a1) };
}

async function observeHost(lab: LabAccess, role: Role, targets: string[]): Promise<HostObservations | undefined> {
  try {
    const command = observationCommand(targets);
    const result = await lab.remote(role).run(command, { timeoutMs: 10_000 });
    if (result.timedOut) return undefined;
    return parseObservations(role, result.stdout, 'ip -o link; ip neigh; tc qdisc; nft -a list ruleset; iptables -S; ip_forward; ip route get');
  } catch {
    return undefined;
  }
}

function nicDelta(before: Counters, after: Counters, nic: string) {
  const b = before.nics[nic];
  const a = after.nics[nic];
  if (b?.rx_packets === undefined || a?.rx_packets === undefined || b.tx_packets === undefined || a.tx_packets === undefined) return undefined;
  return { nic, rx: a.rx_packets - b.rx_packets, tx: a.tx_packets - b.tx_packets };
}

async function probe(lab: LabAccess, target: string): Promise<PathProbe | undefined> {
  const where = routerPath(lab);
  if (!('path' in where)) return undefined;
  const { path } = where;
  try {
    const before = await readCounters(lab, path);
    const result = await lab.remote('vm1').run(sh`ping -c ${PROBE_COUNT} -i 0.2 -w 2 ${target}`, { timeoutMs: 15_000 });
    const after = await readCounters(lab, path);
    let received = 0;
    let sent = PROBE_COUNT;
    try {
      ({ received, transmitted: sent } = parsePing(result.stdout));
    } catch {
      if (!/Network is unreachable|No route to host/i.test(result.stderr + result.stdout)) return undefined;
    }
    const counted = before && after;
    return {
      sent,
      received,
      ...(counted ? { towardVm1: nicDelta(before, after, path.towardVm1), towardVm3: nicDelta(before, after, path.towardVm3) } : {}),
      ...(counted && before.forwarded !== undefined && after.forwarded !== undefined ? { forwarded: after.forwarded - before.forwarded } : {}),
      evidence: [evidenceOf('vm1', result)],
    };
  } catch {
    return undefined;
  }
}

export async function gatherObservations(lab: LabAccess, hosts: ReadonlyMap<Role, HostState>, results: CheckResult[]): Promise<Observations> {
  const targets = routeTargets(hosts);
  const reachable = ROLES.filter((role) => factsOf(hosts, role));
  const observed = await Promise.all(reachable.map(async (role) => [role, await observeHost(lab, role, targets[role])] as const));
  const out: Observations = { hosts: {} };
  for (const [role, o] of observed) if (o) out.hosts[role] = o;
  const trafficFailed = results.some((r) => isTraffic(r) && r.status !== 'pass');
  const target = targets.vm1[0];
  if (trafficFailed && target && factsOf(hosts, 'vm1') && factsOf(hosts, 'router')) {
    const p = await probe(lab, target);
    if (p) out.probe = p;
  }
  return out;
}
