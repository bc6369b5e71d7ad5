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
import { routeBack, routeBackWitness, translationEnds } from './translation.ts';

export interface TrafficRun<T> {
  /** What the traffic returned (the tool's command result). */
  value: T;
  /**
   * The kind's verdict heard: by its own witnesses (the reply TTL, the iperf3 server's report), by
   * the counters against what this traffic explains, and against the VM's own route.
   */
  heard(verdict: Verdict, own: Witness[], expect: RouterExpectation): Verdict;
}

// The target VM counts what reached it, read at the same moments as the router's counters; it is
// also asked its route back to the sender (translation.ts): answers that came back through the
// router although that route does not go via it were sent to the router's own address (NAT), said
// only when the router's counters agree the answers came back that way.
export async function observeTraffic<T>(lab: LabAccess, host: Role, target: string, send: () => Promise<T>, targetRole: Role = peerOf(host)): Promise<TrafficRun<T>> {
  const ends = translationEnds(lab, host, targetRole);
  const [route, back] = await Promise.all([routeSeen(lab, host, target), routeBack(lab, ends)]);
  const nic = targetNic(lab, targetRole);
  const reads: Array<Counters | undefined> = [];
  const { value, witness, scope } = await whileRouterWatches(lab, send, async () => reads.push(await readTargetCounters(lab, targetRole, nic)));
  return {
    value,
    heard: (verdict, own, expect) => {
      const counters = witness(expect);
      const translated = ends && !counters.some((w) => w.agrees === false) ? routeBackWitness(back, ends) : undefined;
      const targetSaw = targetCountersWitness(targetRole, nic, reads[0], reads[1], expect);
      return { ...heardWitnesses(verdict, [...own, ...counters, targetSaw, ...(translated ? [translated] : [])], route), evidenceScope: scope };
    },
  };
}

/** The two ends of a traffic check: the VM that sends, and the VM (`to`, else its peer) and internal address it sends to. */
export function trafficEnds(context: CheckContext<{ to?: Role }>): { host: Role; targetRole: Role; target: string } {
  const host = roleOf(context);
  const targetRole = context.params.to ?? peerOf(host);
  return { host, targetRole, target: context.lab.internalEndpoint(targetRole).address };
}
