import { sh } from '../transport/shell-quote.ts';
import { parseTraceroute, type Trace } from '../parse/traceroute.ts';
import { peerOf } from '../lab/peers.ts';
import type { Role } from '../core/roles.ts';
import type { CheckKind } from './check-kind.ts';
import { evidenceOf, isMissingTool, parseOutput, requireCompleted } from '../core/command-output.ts';
import type { Evidence, Verdict } from '../core/result.ts';
import { roleOf } from './role-of.ts';
import { missingTool, networkRefusal, peerParam } from './shared-parts.ts';
import { whileRouterWatches } from './router-counters.ts';
import { heardWitnesses, type Witness } from './witnesses.ts';
import { parseRouteGet } from '../parse/ip-route.ts';
import type { RouteDecision } from '../core/facts.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import { CannotGrade, Unmet } from '../core/outcomes.ts';

export interface TracerouteParams {
  to?: Role;
  maxHops: number;
  probesPerHop: number;
  waitSeconds: number;
}

function hopText(trace: Trace): string {
  return trace.hops.map((h) => `${h.index} ${h.addresses.join(', ') || '*'}${h.annotations.length ? ` ${h.annotations.join(' ')}` : ''}`).join('; ');
}

// Passes when hop 1 is the router's address on this VM's internal network and hop 2 is the target.
export function evaluateTraceroute(trace: Trace, routerAddress: string, target: string, evidence: Evidence[]): Verdict {
  const expected = `1 ${routerAddress} (the router); 2 ${target}`;
  const actual = hopText(trace);
  const fail = (message: string): Verdict => ({ status: 'fail', message, expected, actual, evidence, measurements: { hops: trace.hops.length } });
  const first = trace.hops[0];
  if (!first || first.addresses.length === 0) return fail(`the first hop towards ${target} did not answer`);
  if (first.addresses.includes(target)) return fail(`${target} was reached in one hop: the traffic did not pass through the router`);
  if (!first.addresses.includes(routerAddress)) {
    return fail(`the first hop is ${first.addresses.join(', ')}, not the router's ${routerAddress}`);
  }
  const reachedAt = trace.hops.findIndex((h) => h.addresses.includes(target));
  if (reachedAt === -1) return fail(`${target} was not reached after the router (${trace.hops.length} hops tried)`);
  if (reachedAt !== 1) return fail(`${target} was reached after ${reachedAt + 1} hops, with hops other than the router on the way`);
  return { status: 'pass', message: `via the router ${routerAddress} to ${target} in 2 hops`, expected, actual, evidence, measurements: { hops: 2 } };
}

// The router's own route to the target: directly out of its NIC on the target's network.
export function routerRouteWitness(view: RouterRouteView): Witness {
  const name = "the router's own route";
  if ('unmet' in view) return { name, agrees: false, detail: `the traffic cannot have crossed the router: ${view.unmet}` };
  if ('unreachable' in view) return { name, mustAnswer: true, detail: `the router could not be asked: ${view.unreachable}` };
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
    const result = await lab.remote('router').run(sh`ip route get ${target}`, { timeoutMs: 5000 });
    return { towardTarget, target, decision: parseRouteGet(`${result.stdout}\n${result.stderr}`, target) };
  } catch {
    return { towardTarget, target, decision: undefined };
  }
}

export const traceroute: CheckKind<TracerouteParams> = {
  kind: 'traceroute',
  summary: "traceroute from the VM to the other VM's internal address has the router's address on the VM's internal network as its first hop and reaches the destination at the second.",
  scope: 'host',
  allowedHosts: ['vm1', 'vm3'],
  defaultHosts: ['vm1'],
  phase: 'traffic',
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
    const host = roleOf(context);
    const { lab, params } = context;
    const targetRole = params.to ?? peerOf(host);
    const target = lab.internalEndpoint(targetRole).address;
    const routerAddress = lab.routerFacing(host).address;
    const routerView = routerRoute(lab, targetRole, target);
    const worstCase = params.maxHops * params.probesPerHop * params.waitSeconds + 5;
    const trace = (numeric: string[]) =>
      lab.remote(host).run(sh`traceroute ${numeric} -q ${params.probesPerHop} -w ${params.waitSeconds} -m ${params.maxHops} ${target}`, {
        timeoutMs: worstCase * 1000,
      });
    const { value: result, witness, scope } = await whileRouterWatches(lab, async () => {
      const numeric = await trace(['-n']);
      // inetutils traceroute never resolves names and refuses -n.
      return numeric.exitCode !== 0 && /invalid option.*n|unrecognized option.*-n/.test(numeric.stderr) ? trace([]) : numeric;
    });
    requireCompleted(host, result);
    const evidence = [evidenceOf(host, result)];
    if (isMissingTool(result, 'traceroute')) return missingTool(host, 'traceroute', 'traceroute', evidence);
    // `connect: Network is unreachable` before any hop: the VM has no route at all, a failure.
    const refusal = /^\s*1\s/m.test(result.stdout) ? undefined : networkRefusal(result.stdout, result.stderr);
    if (refusal !== undefined) {
      return { status: 'fail', message: `traceroute to ${target} failed: ${refusal}`, expected: `1 ${routerAddress} (the router); 2 ${target}`, actual: refusal, evidence, measurements: { hops: 0 } };
    }
    const verdict = evaluateTraceroute(parseOutput(host, result, parseTraceroute), routerAddress, target, evidence);
    const view = await routerView;
    // The probes past hop 1 crossed the router toward the target and its answers came back; the
    // probes of hop 1 end at the router. At most maxHops x probesPerHop probes of each.
    const probes = params.maxHops * params.probesPerHop;
    return { ...heardWitnesses(verdict, [
      routerRouteWitness(view),
      ...witness({
        unit: 'packets',
        toward: { min: 1, max: probes },
        back: { min: 1, max: probes },
        forwarded: { min: 2, max: 2 * probes },
        target: targetRole === 'vm1' ? 'vm1' : 'vm3',
      }),
    ]), evidenceScope: scope };
  },
};
