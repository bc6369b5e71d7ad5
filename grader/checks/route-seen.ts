import { parseRouteGet } from '../parse/ip-route.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import type { RouteDecision } from '../core/facts.ts';
import type { Role } from '../core/roles.ts';
import { sh } from '../transport/shell-quote.ts';
import { routerAddressesOn } from '../lab/topology.ts';
import type { RouteSeen } from './witnesses.ts';

/** The command a traffic check asks the sending VM which route its kernel takes to the target with. */
export const routeGetCommand = (target: string): string => sh`ip route get ${target}`;

/** The route `role`'s kernel takes to `address` (`ip route get`); throws when it cannot be read. */
export async function routeDecision(lab: LabAccess, role: Role, address: string): Promise<RouteDecision> {
  const result = await lab.remote(role).run(routeGetCommand(address), { timeoutMs: 5000 });
  return parseRouteGet(`${result.stdout}\n${result.stderr}`, address);
}

// The route the VM's kernel takes to `target`, beside the router's address on its network;
// undefined when either cannot be had (the witnesses then judge alone).
export async function routeSeen(lab: LabAccess, host: Role, target: string): Promise<RouteSeen | undefined> {
  try {
    const facing = lab.routerFacing(host).address;
    const decision = await routeDecision(lab, host, target);
    if (decision.type !== 'unicast') return undefined;
    // A router with several addresses on the VM's network: the one the route uses is the router.
    const others = routerAddressesOn(lab.facts('router'), lab.internalEndpoint(host));
    const router = decision.gateway !== undefined && others.includes(decision.gateway) ? decision.gateway : facing;
    return { host, target, router, ...(decision.gateway ? { gateway: decision.gateway } : {}), ...(decision.device ? { device: decision.device } : {}) };
  } catch {
    return undefined;
  }
}
