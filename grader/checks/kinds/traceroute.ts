import { sh } from '../../transport/shell-quote.ts';
import { parseTraceroute, type Trace } from '../../parse/traceroute.ts';
import { type Role, ROLES } from '../../core/roles.ts';
import { defineKind, numberParam, optionalRoleParam } from '../check-kind.ts';
import { evidenceOf, isMissingTool, parseOutput, requireCompleted } from '../../core/command-output.ts';
import type { Evidence, Verdict } from '../../core/result.ts';
import { routeDecision } from '../route-seen.ts';
import { observeTraffic, trafficEnds } from '../traffic-template.ts';
import { missingTool, networkRefusal, peerParam } from '../traffic-parts.ts';
import type { Witness } from '../witnesses.ts';
import type { RouteDecision } from '../../core/facts.ts';
import type { LabAccess } from '../../lab/lab-access.ts';
import { CannotGrade, Unmet } from '../../core/outcomes.ts';

export interface TracerouteParams {
  to?: Role;
  maxHops: number;
  probesPerHop: number;
  waitSeconds: number;
}

function hopText(trace: Trace): string {
  return trace.hops.map((h) => `${h.index} ${h.addresses.join(', ') || '*'}${h.annotations.length ? ` ${h.annotations.join(' ')}` : ''}`).join('; ');
}

export type TracerouteReason = 'via-router' | 'first-hop-silent' | 'one-hop' | 'first-hop-not-router' | 'not-reached' | 'extra-hops' | 'network-refused';

/** What a traceroute verdict is about: the target, the router's address, the hops seen. */
export interface TracerouteSubject {
  target: string;
  router: string;
  /** The addresses that answered at hop 1. */
  firstHop: string[];
  /** Hops tried, and the hop (1-based) where the target answered. */
  hops: number;
  reachedAt?: number;
  /** The tool's refusal (`network-refused`). */
  refusal?: string;
}

// Every sentence of a traceroute verdict, from its reason and subject.
export function tracerouteSentence(reason: TracerouteReason, s: TracerouteSubject): string {
  switch (reason) {
    case 'network-refused':
      return `traceroute to ${s.target} failed: ${s.refusal ?? 'the network refused it'}`;
    case 'first-hop-silent':
      return `the first hop towards ${s.target} did not answer`;
    case 'one-hop':
      return `${s.target} was reached in one hop: the traffic did not pass through the router`;
    case 'first-hop-not-router':
      return `the first hop is ${s.firstHop.join(', ')}, not the router's ${s.router}`;
    case 'not-reached':
      return `${s.target} was not reached after the router (${s.hops} hops tried)`;
    case 'extra-hops':
      return `${s.target} was reached after ${s.reachedAt} hops, with hops other than the router on the way`;
    case 'via-router':
      return `via the router ${s.router} to ${s.target} in 2 hops`;
  }
}

const expectedTrace = (routerAddress: string, target: string) => `1 ${routerAddress} (the router); 2 ${target}`;

function traceVerdict(status: Verdict['status'], reason: TracerouteReason, subject: TracerouteSubject, actual: string, evidence: Evidence[]): Verdict {
  return {
    status,
    reason,
    subject: { ...subject },
    message: tracerouteSentence(reason, subject),
    expected: expectedTrace(subject.router, subject.target),
    actual,
    evidence,
    measurements: { hops: status === 'pass' ? 2 : subject.hops },
  };
}

// Passes when hop 1 is the router's address on this VM's internal network and hop 2 is the target.
export function evaluateTraceroute(trace: Trace, routerAddress: string, target: string, evidence: Evidence[]): Verdict {
  const actual = hopText(trace);
  const first = trace.hops[0];
  const subject: TracerouteSubject = { target, router: routerAddress, firstHop: first?.addresses ?? [], hops: trace.hops.length };
  const fail = (reason: TracerouteReason, extra: Partial<TracerouteSubject> = {}) => traceVerdict('fail', reason, { ...subject, ...extra }, actual, evidence);
  if (!first || first.addresses.length === 0) return fail('first-hop-silent');
  if (first.addresses.includes(target)) return fail('one-hop');
  if (!first.addresses.includes(routerAddress)) return fail('first-hop-not-router');
  const reachedAt = trace.hops.findIndex((h) => h.addresses.includes(target));
  if (reachedAt === -1) return fail('not-reached');
  if (reachedAt !== 1) return fail('extra-hops', { reachedAt: reachedAt + 1 });
  return traceVerdict('pass', 'via-router', { ...subject, reachedAt: 2 }, actual, evidence);
}

// The router's own route to the target: directly out of its NIC on the target's network.
export function routerRouteWitness(view: RouterRouteView): Witness {
  const name = "the router's own route";
  if ('unmet' in view) return { name, agrees: false, detail: `the traffic cannot have crossed the router: ${view.unmet}` };
  if ('unreachable' in view) return { name, mustAnswer: true, unreachable: 'router', detail: `the router could not be asked: ${view.unreachable}` };
  const { decision, towardTarget, target } = view;
  if (!decision) return { name, mustAnswer: true, detail: `the router was reached, but its route to ${target} could not be read` };
  const route = [decision.type !== 'unicast' ? decision.type : '', target, decision.gateway && `via ${decision.gateway}`, decision.device && `dev ${decision.device}`].filter(Boolean).join(' ');
  const agrees = decision.type === 'unicast' && !decision.gateway && decision.device === towardTarget;
  return { name, agrees, detail: agrees ? route : `${route}, not directly out of ${towardTarget}` };
}

export type RouterRouteView = { towardTarget: string; target: string; decision: RouteDecision | undefined } | { unmet: string } | { unreachable: string };

// Asks the router how it reaches the target; why not, when it cannot be asked.
async function routerRoute(lab: LabAccess, targetRole: Role, target: string): Promise<RouterRouteView> {
  let towardTarget: string;
  try {
    towardTarget = lab.routerFacing(targetRole).interface;
  } catch (error) {
    if (error instanceof Unmet) return { unmet: error.message };
    if (error instanceof CannotGrade) return { unreachable: error.message };
    throw error;
  }
  try {
    return { towardTarget, target, decision: await routeDecision(lab, 'router', target) };
  } catch {
    return { towardTarget, target, decision: undefined };
  }
}

/** The command the check runs on the VM, numeric (-n) unless the VM's traceroute refuses it. */
export function tracerouteCommand(params: Pick<TracerouteParams, 'maxHops' | 'probesPerHop' | 'waitSeconds'>, target: string, numeric: boolean): string {
  return sh`traceroute ${numeric ? ['-n'] : []} -q ${params.probesPerHop} -w ${params.waitSeconds} -m ${params.maxHops} ${target}`;
}

export const traceroute = defineKind<TracerouteParams>({
  kind: 'traceroute',
  summary: "traceroute from the VM to the other VM's internal address has the router's address on the VM's internal network as its first hop and reaches the destination at the second.",
  scope: 'host',
  allowedHosts: ['vm1', 'vm3'],
  defaultHosts: ['vm1'],
  phase: 'traffic',
  params: (raw) => ({ to: optionalRoleParam(raw, 'to', ROLES), maxHops: numberParam(raw, 'maxHops'), probesPerHop: numberParam(raw, 'probesPerHop'), waitSeconds: numberParam(raw, 'waitSeconds') }),
  needs: () => ROLES,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      to: peerParam('whose internal address is traced'),
      maxHops: { type: 'integer', minimum: 2, maximum: 30, default: 5, description: 'Largest TTL tried (traceroute -m)' },
      probesPerHop: { type: 'integer', minimum: 1, maximum: 5, default: 2, description: 'Probes per hop (traceroute -q)' },
      waitSeconds: { type: 'number', minimum: 0.5, maximum: 10, default: 2, description: 'Seconds to wait for each reply (traceroute -w)' },
    },
  },
  async run(context) {
    const { lab, params } = context;
    const { host, targetRole, target } = trafficEnds(context);
    const routerAddress = lab.routerFacing(host).address;
    const routerView = routerRoute(lab, targetRole, target);
    const worstCase = params.maxHops * params.probesPerHop * params.waitSeconds + 5;
    const trace = (numeric: boolean) => lab.remote(host).run(tracerouteCommand(params, target, numeric), { timeoutMs: worstCase * 1000 });
    const traffic = await observeTraffic(lab, host, target, async () => {
      const numeric = await trace(true);
      // inetutils traceroute never resolves names and refuses -n.
      return numeric.exitCode !== 0 && /invalid option.*n|unrecognized option.*-n/.test(numeric.stderr) ? trace(false) : numeric;
    }, targetRole);
    const result = traffic.value;
    requireCompleted(host, result);
    const evidence = [evidenceOf(host, result)];
    if (isMissingTool(result, 'traceroute')) return missingTool(host, 'traceroute', 'traceroute', evidence);
    // `connect: Network is unreachable` before any hop: the VM has no route at all, a failure.
    const refusal = /^\s*1\s/m.test(result.stdout) ? undefined : networkRefusal(result.stdout, result.stderr);
    if (refusal !== undefined) {
      return traceVerdict('fail', 'network-refused', { target, router: routerAddress, firstHop: [], hops: 0, refusal }, refusal, evidence);
    }
    const verdict = evaluateTraceroute(parseOutput(host, result, parseTraceroute), routerAddress, target, evidence);
    // The probes past hop 1 crossed the router toward the target and its answers came back; the
    // probes of hop 1 end at the router. At most maxHops x probesPerHop probes of each.
    const probes = params.maxHops * params.probesPerHop;
    return traffic.heard(verdict, [routerRouteWitness(await routerView)], {
      unit: 'packets',
      toward: { min: 1, max: probes },
      back: { min: 1, max: probes },
      forwarded: { min: 2, max: 2 * probes },
      target: targetRole === 'vm1' ? 'vm1' : 'vm3',
    });
  },
});
