import { sh } from '../transport/shell-quote.ts';
import { parseRouteGet } from '../parse/ip-route.ts';
import type { RouteDecision } from '../core/facts.ts';
import type { Endpoint } from '../lab/topology.ts';
import { peerOf } from '../lab/peers.ts';
import { ROLE_LABELS, type Role } from '../core/roles.ts';
import type { CheckKind } from './check-kind.ts';
import { evidenceOf, parseOutput, requireCompleted } from '../core/command-output.ts';
import type { Evidence, Verdict } from '../core/result.ts';
import { roleOf } from './role-of.ts';

export interface RoutesObservation {
  host: Role;
  /** The peer's internal address: where the route must lead. */
  destination: string;
  /** This VM's own internal NIC and address. */
  own: Endpoint;
  /** The router's address on this VM's internal network: the gateway the route must use. */
  routerAddress: string;
  managementInterface?: string;
  /** The kernel's answer (type `unreachable` when it has no route at all). */
  decision: RouteDecision;
  evidence: Evidence[];
}

function describe(d: RouteDecision): string {
  return [d.type !== 'unicast' ? d.type : '', d.destination, d.gateway && `via ${d.gateway}`, d.device && `dev ${d.device}`].filter(Boolean).join(' ');
}

export function evaluateRoutes(o: RoutesObservation): Verdict {
  const vm = ROLE_LABELS[o.host];
  const expected = `${o.destination} via ${o.routerAddress} dev ${o.own.interface} (the router, out of ${vm}'s internal NIC)`;
  const fail = (message: string, actual: string): Verdict => ({ status: 'fail', message, expected, actual, evidence: o.evidence });
  const d = o.decision;
  if (d.type !== 'unicast') return fail(`${vm} has no usable route to ${o.destination}`, describe(d));
  const actual = describe(d);
  if (!d.gateway) {
    return fail(`${vm} sends to ${o.destination} directly out of ${d.device ?? 'an interface'}, not via the router`, actual);
  }
  if (d.gateway !== o.routerAddress) {
    const where = d.device && d.device === o.managementInterface ? ` on the management NIC ${d.device}` : '';
    return fail(`${vm} reaches ${o.destination} via ${d.gateway}${where}, not via the router's ${o.routerAddress}`, actual);
  }
  if (d.device !== o.own.interface) {
    return fail(`${vm}'s route to ${o.destination} leaves by ${d.device ?? 'another NIC'}, not by its internal NIC ${o.own.interface}`, actual);
  }
  return { status: 'pass', message: `${o.destination} via ${o.routerAddress} dev ${o.own.interface}`, actual, evidence: o.evidence };
}

export const routes: CheckKind<Record<string, never>> = {
  kind: 'routes',
  summary: "The route the VM actually takes to the other VM's internal address (`ip route get`) goes via the router's address on its own internal network, out of its internal NIC.",
  scope: 'host',
  allowedHosts: ['vm1', 'vm3'],
  defaultHosts: ['vm1', 'vm3'],
  phase: 'inspect',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  async run(context) {
    const host = roleOf(context);
    const { lab } = context;
    const own = lab.internalEndpoint(host);
    const destination = lab.internalEndpoint(peerOf(host)).address;
    const router = lab.routerFacing(host);
    const result = await lab.remote(host).run(sh`ip route get ${destination}`);
    requireCompleted(host, result);
    const evidence = [evidenceOf(host, result)];
    // A failed lookup says why on stderr only (Network is unreachable, a prohibit route...).
    const decision = parseOutput(host, result, (text) => parseRouteGet(text, destination), `${result.stdout}\n${result.stderr}`);
    return evaluateRoutes({
      host,
      destination,
      own,
      routerAddress: router.address,
      managementInterface: lab.facts(host).management?.name,
      decision,
      evidence,
    });
  },
};
