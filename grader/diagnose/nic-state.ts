// A NIC's state as the diagnosis reads it: discovery's operational state, and `ip -o link`'s
// administrative flag and bridge when they were gathered.
import type { Role } from '../core/roles.ts';
import type { NetworkInterface } from '../core/facts.ts';
import type { LinkState } from '../parse/ip-link.ts';
import type { LabView } from './lab-view.ts';

export function linkOf(view: LabView, role: Role, nic: string): LinkState | undefined {
  return view.observed[role]?.links.find((l) => l.name === nic);
}

/** 'admin': set down (`ip link set IF down`); 'carrier': up but no link (cable unplugged). */
export function downness(view: LabView, role: Role, nic: string): 'admin' | 'carrier' | undefined {
  const link = linkOf(view, role, nic);
  if (link) return !link.adminUp ? 'admin' : !link.lowerUp && link.state !== 'UNKNOWN' ? 'carrier' : undefined;
  const state = view.facts[role]?.interfaces.find((i) => i.name === nic)?.state;
  return state === 'DOWN' ? 'admin' : state === 'LOWERLAYERDOWN' ? 'carrier' : undefined;
}

// NICs that could be the missing internal one: not loopback, not management, no IPv4 address,
// not a port of a bridge, not a virtual device the student made (a bridge itself, a bond).
export function spareNics(view: LabView, role: Role): NetworkInterface[] {
  const facts = view.facts[role];
  if (!facts) return [];
  return facts.interfaces.filter((nic) => {
    if (nic.name === 'lo' || nic.name === facts.management?.name || nic.addresses.length > 0) return false;
    const link = linkOf(view, role, nic.name);
    if (link?.master) return false;
    const isMaster = view.observed[role]?.links.some((l) => l.master === nic.name);
    return !isMaster;
  });
}

export function describeNic(view: LabView, role: Role, nic: string): string {
  const facts = view.facts[role];
  const entry = facts?.interfaces.find((i) => i.name === nic);
  const link = linkOf(view, role, nic);
  const flags = link ? `${link.adminUp ? 'UP' : 'not UP'}${link.lowerUp ? ', carrier' : ', no carrier'}` : '';
  const addresses = entry?.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(' ') || 'no IPv4 address';
  return `${nic}: state ${link?.state ?? entry?.state ?? 'unknown'}${flags ? ` (${flags})` : ''}, ${addresses}`;
}
