// The router's NICs whose own forwarding setting matters to the exercise: the ones toward VM1 and
// toward VM3 (where the packets to forward arrive), found from the lab's addresses; when a VM's
// network cannot be told (a VM not reached, the router off its network), every internal NIC.
import { CannotGrade, Unmet } from '../core/outcomes.ts';
import { ROLE_LABELS } from '../core/roles.ts';
import type { LabAccess } from '../lab/lab-access.ts';

/** A router NIC on the path, and the VM it faces when known (`VM1`, `VM3`). */
export interface ForwardingNic {
  nic: string;
  toward?: string;
}

export function routerForwardingNics(lab: LabAccess): ForwardingNic[] {
  const facing: ForwardingNic[] = [];
  for (const role of ['vm1', 'vm3'] as const) {
    try {
      facing.push({ nic: lab.routerFacing(role).interface, toward: ROLE_LABELS[role] });
    } catch (error) {
      if (!(error instanceof Unmet) && !(error instanceof CannotGrade)) throw error;
    }
  }
  if (facing.length === 2) return facing;
  const all = [...facing, ...lab.facts('router').internal.map((nic) => ({ nic: nic.name }))];
  return all.filter((n, i) => all.findIndex((m) => m.nic === n.nic) === i);
}
