import { parseRouteGet } from '../parse/ip-route.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import type { Role } from '../core/roles.ts';
import { sh } from '../transport/shell-quote.ts';
import type { RouteSeen } from './witnesses.ts';

/** The command a traffic check asks the sending VM which route its kernel takes to the target with. */
export const routeGetCommand = (target: string): string => sh`ip route get ${target}`;

// The route the VM's kernel takes to `target`, beside the router's address on its network;
// undefined when either cannot be had (the witnesses then judge alone).
export async function routeSeen(lab: LabAccess, host: Role, target: string): Promise<RouteSeen | undefined> {
  try {
    const router = lab.routerFacing(host).address;
    const result = await lab.remote(host).run(routeGetCommand(target), { timeoutMs: 5000 });
    const decision = parseRouteGet(`${result.stdout}\n${result.stderr}`, target);
    if (decision.type !== 'unicast') return undefined;
    return { host, target, router, ...(decision.gateway ? { gateway: decision.gateway } : {}), ...(decision.device ? { device: decision.device } : {}) };
  } catch {
    return undefined;
  }
}
