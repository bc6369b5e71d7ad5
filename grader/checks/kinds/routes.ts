import { parseRouteGet } from '../../parse/ip-route.ts';
import type { RouteDecision } from '../../core/facts.ts';
import type { Endpoint } from '../../lab/topology.ts';
import { peerOf } from '../../lab/peers.ts';
import { ROLE_LABELS, type Role, ROLES } from '../../core/roles.ts';
import { defineKind } from '../check-kind.ts';
import { evidenceOf, parseOutput, requireCompleted } from '../../core/command-output.ts';
import type { Evidence, Verdict } from '../../core/result.ts';
import { roleOf } from '../role-of.ts';
import { routeGetCommand } from '../route-seen.ts';
import { routerAddressesOn } from '../../lab/topology.ts';

export interface RoutesObservation {
  host: Role;
  /** The peer's internal address: where the route must lead. */
  destination: string;
  /** This VM's own internal NIC and address. */
  own: Endpoint;
  /** The router's address on this VM's internal network: the gateway the route must use. */
  routerAddress: string;
  /** Every address of the router on this VM's internal network (a router may have several there); any is right. */
  routerAddresses?: string[];
  managementInterface?: string;
  /** The kernel's answer (type `unreachable` when it has no route at all). */
  decision: RouteDecision;
  evidence: Evidence[];
}

function describe(d: RouteDecision): string {
  return [d.type !== 'unicast' ? d.type : '', d.destination, d.gateway && `via ${d.gateway}`, d.device && `dev ${d.device}`].filter(Boolean).join(' ');
}

export type RoutesReason = 'via-router' | 'no-route' | 'direct' | 'wrong-gateway' | 'wrong-nic';

/** What a routes verdict is about: the VM, where it sends, the router's address, the route it takes. */
export interface RoutesSubject {
  host: Role;
  destination: string;
  router: string;
  ownNic: string;
  gateway?: string;
  device?: string;
  /** The route leaves by the management NIC. */
  management?: boolean;
}

// Every sentence of a routes verdict, from its reason and subject.
export function routesSentence(reason: RoutesReason, s: RoutesSubject): string {
  const vm = ROLE_LABELS[s.host];
  switch (reason) {
    case 'no-route':
      return `${vm} has no usable route to ${s.destination}`;
    case 'direct':
      return `${vm} sends to ${s.destination} directly out of ${s.device ?? 'an interface'}, not via the router`;
    case 'wrong-gateway':
      return `${vm} reaches ${s.destination} via ${s.gateway}${s.management ? ` on the management NIC ${s.device}` : ''}, not via the router's ${s.router}`;
    case 'wrong-nic':
      return `${vm}'s route to ${s.destination} leaves by ${s.device ?? 'another NIC'}, not by its internal NIC ${s.ownNic}`;
    case 'via-router':
      return `${s.destination} via ${s.router} dev ${s.ownNic}`;
  }
}

export function evaluateRoutes(o: RoutesObservation): Verdict {
  const vm = ROLE_LABELS[o.host];
  const expected = `${o.destination} via ${o.routerAddress} dev ${o.own.interface} (the router, out of ${vm}'s internal NIC)`;
  const d = o.decision;
  // The router's address the route uses, when it uses one of them; else the one it should use.
  const router = d.gateway !== undefined && (o.routerAddresses ?? []).includes(d.gateway) ? d.gateway : o.routerAddress;
  const subject: RoutesSubject = {
    host: o.host,
    destination: o.destination,
    router,
    ownNic: o.own.interface,
    ...(d.gateway ? { gateway: d.gateway } : {}),
    ...(d.device ? { device: d.device } : {}),
    ...(d.device && d.device === o.managementInterface ? { management: true } : {}),
  };
  const verdict = (status: Verdict['status'], reason: RoutesReason): Verdict => ({
    status,
    reason,
    subject: { ...subject },
    message: routesSentence(reason, subject),
    ...(status === 'pass' ? {} : { expected }),
    actual: describe(d),
    evidence: o.evidence,
  });
  if (d.type !== 'unicast') return verdict('fail', 'no-route');
  if (!d.gateway) return verdict('fail', 'direct');
  if (d.gateway !== router) return verdict('fail', 'wrong-gateway');
  if (d.device !== o.own.interface) return verdict('fail', 'wrong-nic');
  return verdict('pass', 'via-router');
}

export const routes = defineKind<Record<string, never>>({
  kind: 'routes',
  summary: "The route the VM actually takes to the other VM's internal address (`ip route get`) goes via the router's address on its own internal network, out of its internal NIC.",
  scope: 'host',
  allowedHosts: ['vm1', 'vm3'],
  defaultHosts: ['vm1', 'vm3'],
  phase: 'inspect',
  params: () => ({}),
  needs: () => ROLES,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  async run(context) {
    const host = roleOf(context);
    const { lab } = context;
    const own = lab.internalEndpoint(host);
    const destination = lab.internalEndpoint(peerOf(host)).address;
    const router = lab.routerFacing(host);
    const result = await lab.remote(host).run(routeGetCommand(destination));
    requireCompleted(host, result);
    const evidence = [evidenceOf(host, result)];
    // A failed lookup says why on stderr only (Network is unreachable, a prohibit route...).
    const decision = parseOutput(host, result, (text) => parseRouteGet(text, destination), `${result.stdout}\n${result.stderr}`);
    return evaluateRoutes({
      host,
      destination,
      own,
      routerAddress: router.address,
      routerAddresses: routerAddressesOn(lab.facts('router'), own),
      managementInterface: lab.facts(host).management?.name,
      decision,
      evidence,
    });
  },
});
