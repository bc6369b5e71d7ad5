// Traffic the router passes on with its own address as the source (NAT: a masquerade or SNAT
// rule left on it) is not routing, which is what the exercise asks for: the target VM answers the
// router, the router translates the answers back. Every traffic check judges it the same way,
// from what the target VM shows: the address the iperf3 server saw the test come from, or, for
// ping and traceroute (whose target keeps no record of who asked), the target's own route back to
// the source, which cannot have carried the answers through the router unless the router's own
// address asked. The witness is named SOURCE_SEEN; a pass that only it contradicts fails as
// `translated` (witnesses.ts), never as tampering.
import type { RouteDecision } from '../core/facts.ts';
import { ROLE_LABELS, type Role } from '../core/roles.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import { routeDecision } from './route-seen.ts';
import { SOURCE_SEEN, type Witness } from './witnesses.ts';

/** The VM that sent, the one that answered, and the router's addresses (any of them is the router). */
export interface TranslationEnds {
  source: { role: Role; address: string };
  target: Role;
  routerAddresses: string[];
}

const natWords = 'the router rewrites the source address (NAT) instead of routing';

/** The iperf3 server's peer: the router's own address there means the router translated the source. */
export function peerWitness(peer: string | undefined, ends: TranslationEnds): Witness | undefined {
  if (peer === undefined || peer === ends.source.address || !ends.routerAddresses.includes(peer)) return undefined;
  const target = ROLE_LABELS[ends.target];
  return {
    name: SOURCE_SEEN,
    agrees: false,
    detail: `${target}'s iperf3 server received the test from the router's own address ${peer}, not from ${ROLE_LABELS[ends.source.role]}'s ${ends.source.address}: ${natWords}`,
  };
}

/**
 * The target's route back to the source, for traffic whose answers came back through the router
 * (the counters agreed): a route that does not go via the router (or none) means the answers were
 * sent to the router's own address, the source the target saw.
 */
export function routeBackWitness(back: RouteDecision | undefined, ends: TranslationEnds): Witness | undefined {
  if (!back) return undefined;
  const unicast = back.type === 'unicast';
  if (unicast && (back.gateway === undefined || ends.routerAddresses.includes(back.gateway))) return undefined;
  const target = ROLE_LABELS[ends.target];
  const how = unicast ? `goes via ${back.gateway}${back.device ? ` dev ${back.device}` : ''}, not via the router` : `is ${back.type}`;
  return {
    name: SOURCE_SEEN,
    agrees: false,
    detail: `${target}'s route to ${ends.source.address} ${how}, yet its answers came back through the router: they went to the router's own address, so ${natWords}`,
  };
}

/** The ends of a traffic check as translation sees them; undefined when a VM's facts are missing. */
export function translationEnds(lab: LabAccess, host: Role, targetRole: Role): TranslationEnds | undefined {
  try {
    const routerAddresses = lab.facts('router').internal.flatMap((nic) => nic.addresses.map((a) => a.address));
    return { source: { role: host, address: lab.internalEndpoint(host).address }, target: targetRole, routerAddresses };
  } catch {
    return undefined;
  }
}

/** The target's route back to the source (`ip route get`), undefined when it cannot be read. */
export async function routeBack(lab: LabAccess, ends: TranslationEnds | undefined): Promise<RouteDecision | undefined> {
  if (!ends) return undefined;
  try {
    return await routeDecision(lab, ends.target, ends.source.address);
  } catch {
    return undefined;
  }
}
