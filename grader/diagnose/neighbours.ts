// stale-neighbour: a permanent neighbour (ARP) entry on the path names a MAC that the machine
// holding the address does not have (a VM's entry for the router's address, or the router's for a
// VM's): the packets go to that MAC and no NIC takes them. Only permanent entries are a cause the
// student made; a learned entry with another MAC is what the network answered, not a mistake to undo.
import { sh } from '../core/shell-quote.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { ROLE_LABELS, type Role } from '../core/roles.ts';
import type { Endpoint } from '../lab/topology.ts';
import type { Neighbour } from '../parse/ip-neigh.ts';
import type { LabView } from './lab-view.ts';

/** Entries the kernel never re-learns: the student (or a script) set them. */
const SET_BY_HAND = new Set(['PERMANENT', 'NOARP']);

export const PERSIST_NEIGHBOUR =
  'A neighbour entry set with `ip neigh` lasts until the next boot; if it comes back, look for `ip neigh` or `arp -s` in /etc/network/interfaces, /etc/netplan/*.yaml, /etc/ethers, /etc/rc.local and systemd units.';

function macOf(view: LabView, role: Role, nic: string): string | undefined {
  return view.facts[role]?.interfaces.find((i) => i.name === nic)?.mac?.toLowerCase();
}

function describeEntry(n: Neighbour): string {
  return [n.address, n.device && `dev ${n.device}`, n.mac && `lladdr ${n.mac}`, n.state].filter(Boolean).join(' ');
}

// `role`'s entry for `target` (on `owner`'s NIC), when it is set by hand with another MAC.
function stale(view: LabView, role: Role, own: Endpoint, owner: Role, target: Endpoint): Diagnosis | undefined {
  const expected = macOf(view, owner, target.interface);
  const entry = view.observed[role]?.neighbours.find((n) => n.address === target.address && (n.device === undefined || n.device === own.interface));
  if (!expected || !entry?.mac || !SET_BY_HAND.has(entry.state ?? '') || entry.mac.toLowerCase() === expected) return undefined;
  const label = ROLE_LABELS[role];
  const ownerLabel = ROLE_LABELS[owner];
  return {
    cause: 'stale-neighbour',
    host: role,
    nic: own.interface,
    summary: `${label} has a permanent neighbour (ARP) entry for ${ownerLabel}'s ${target.address} with the MAC ${entry.mac}, which is not ${ownerLabel}'s (${target.interface} has ${expected}): ${label} sends to a MAC no NIC takes.`,
    fix: [sh`sudo ip neigh del ${target.address} dev ${own.interface}`],
    persist: PERSIST_NEIGHBOUR,
    evidence: [`ip neigh on ${label}: ${describeEntry(entry)}`, `${ownerLabel}'s ${target.interface}: ${target.address}, MAC ${expected}`],
    results: [],
  };
}

/** The hand-set neighbour entries on the path that name the wrong MAC. */
export function staleNeighbours(view: LabView): Diagnosis[] {
  const pairs: Array<[Role, Endpoint | undefined, Role, Endpoint | undefined]> = [
    ['vm1', view.vm1, 'router', view.routerOnVm1],
    ['router', view.routerOnVm1, 'vm1', view.vm1],
    ['router', view.routerOnVm3, 'vm3', view.vm3],
    ['vm3', view.vm3, 'router', view.routerOnVm3],
  ];
  return pairs.flatMap(([role, own, owner, target]) => {
    if (!own || !target || own.address === target.address) return [];
    const d = stale(view, role, own, owner, target);
    return d ? [d] : [];
  });
}
