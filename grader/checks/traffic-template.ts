// The skeleton every kind that sends traffic between the VMs shares (ping, traceroute, iperf): ask
// the sending VM which route its kernel takes to the target, read the router's counters (and the
// hypervisor's, when the lab is graded through it) just before and just after the traffic, then
// hear the kind's own verdict against its own witnesses and the counters'. A kind keeps only its
// command, its parsing and its judgement.
import type { Role } from '../core/roles.ts';
import type { Verdict } from '../core/result.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import { peerOf } from '../lab/peers.ts';
import type { CheckContext } from './check-kind.ts';
import { roleOf } from './role-of.ts';
import { whileRouterWatches, type Counters, type RouterExpectation } from './router-counters.ts';
import { readTargetCounters, targetCountersWitness, targetNic } from './target-counters.ts';
import { routeSeen } from './route-seen.ts';
import { heardWitnesses, type Witness } from './witnesses.ts';

export interface TrafficRun<T> {
  /** What the traffic returned (the tool's command result). */
  value: T;
  /**
   * The kind's verdict heard: by its own witnesses (the reply TTL, the iperf3 server's report), by
   * the counters against what this traffic explains, and against the VM's own route.
   */
  heard(verdict: Verdict, own: Witness[], expect: RouterExpectation): Verdict;
}

export async function observeTraffic<T>(lab: LabAccess, host: Role, target: string, send: () => Promise<T>, targetRole: Role = peerOf(host)): Promise<TrafficRun<T>> {
  const route = await routeSeen(lab, host, target);
  // The target VM counts what reached it, read at the same moments as the router's counters.
  const nic = targetNic(lab, targetRole);
  const reads: Array<Counters | undefined> = [];
  const { value, witness, scope } = await whileRouterWatches(lab, send, async () => reads.push(await readTargetCounters(lab, targetRole, nic)));
  return {
    value,
    heard: (verdict, own, expect) => ({
      ...heardWitnesses(verdict, [...own, ...witness(expect), targetCountersWitness(targetRole, nic, reads[0], reads[1], expect)], route),
      evidenceScope: scope,
    }),
  };
}

/** The two ends of a traffic check: the VM that sends, and the VM (`to`, else its peer) and internal address it sends to. */
export function trafficEnds(context: CheckContext<{ to?: Role }>): { host: Role; targetRole: Role; target: string } {
  const host = roleOf(context);
  const targetRole = context.params.to ?? peerOf(host);
  return { host, targetRole, target: context.lab.internalEndpoint(targetRole).address };
}
