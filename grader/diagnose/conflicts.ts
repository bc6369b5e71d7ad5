// address-conflict: VM1 or VM3 holds one of the router's own addresses on its network. The router
// is on that network all the same (it has the address too); the VM must give the address back
// and take one of its own.
import { sh } from '../core/shell-quote.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { formatSubnet } from '../core/ipv4.ts';
import { ROLE_LABELS } from '../core/roles.ts';
import { routerEndpointHolding, type Endpoint } from '../lab/topology.ts';
import { notPassed, type LabView } from './lab-view.ts';
import { persistDhcp } from './persistence.ts';

/** The router's endpoint that holds the very address of `vm`, when it does. */
export function routerSharing(view: LabView, vm: Endpoint | undefined): Endpoint | undefined {
  const router = view.facts.router;
  return router && vm ? routerEndpointHolding(router, vm.address) : undefined;
}

export function addressConflicts(view: LabView): Diagnosis[] {
  return (['vm1', 'vm3'] as const).flatMap((role): Diagnosis[] => {
    const own = role === 'vm1' ? view.vm1 : view.vm3;
    const router = routerSharing(view, own);
    if (!own || !router) return [];
    const label = ROLE_LABELS[role];
    return [
      {
        cause: 'address-conflict',
        host: role,
        nic: own.interface,
        summary: `${label}'s address ${own.address} on ${own.interface} is the router's own address on ${formatSubnet(own.subnet)} (the router's ${router.interface} has it too): two machines answer for it, and ${label} cannot route via the router while it holds its address. ${label} must give it back and take one of its own.`,
        fix: [sh`sudo ip addr del ${`${own.address}/${own.prefixLength}`} dev ${own.interface}`, sh`sudo dhclient -v ${own.interface}`],
        persist: `${persistDhcp(own.interface)} Remove ${own.address} from ${own.interface}'s static configuration, where it was typed.`,
        evidence: [`${label} ${own.interface}: ${own.address}/${own.prefixLength}`, `router ${router.interface}: ${router.address}/${router.prefixLength}`],
        results: notPassed(view, ['subnets']),
      },
    ];
  });
}
