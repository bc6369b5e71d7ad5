// The labs on one libvirt host, found from the topology alone (pure): which domains form a lab,
// which of them is VM1, the router and VM3, and why; what does not fit, and why.
import type { LabDiscovery, RoleAssignment } from '../core/lab-report.ts';
import type { Role } from '../core/roles.ts';
import type { DomainInterface } from '../parse/virsh.ts';

// One domain as `virsh list --all` and `virsh domiflist` show it.
export interface ListedDomain {
  name: string;
  state: string;
  interfaces: DomainInterface[];
}

export interface FoundLab {
  name: string;
  domains: Partial<Record<Role, string>>;
  discovery: LabDiscovery;
}

export interface ServerShape {
  labs: FoundLab[];
  /** Domains that belong to no lab, with why. */
  unassigned: Array<{ domain: string; why: string }>;
}

// A NIC's network: a libvirt network by name, anything else (a bridge) by type and name.
function networkOf(nic: DomainInterface): string {
  return nic.type === 'network' ? nic.source : `${nic.type} ${nic.source}`;
}

function networksOf(domain: ListedDomain): string[] {
  return [...new Set(domain.interfaces.map(networkOf))].sort();
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Groups of domains connected over the networks `through` accepts, each sorted, in name order.
function components(domains: ListedDomain[], through: (network: string) => boolean): ListedDomain[][] {
  const parent = new Map(domains.map((d) => [d.name, d.name]));
  const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!));
  const firstOn = new Map<string, string>();
  for (const d of domains) {
    for (const net of networksOf(d).filter(through)) {
      const other = firstOn.get(net);
      if (other === undefined) firstOn.set(net, d.name);
      else parent.set(find(d.name), find(other));
    }
  }
  const groups = new Map<string, ListedDomain[]>();
  for (const d of [...domains].sort((a, b) => byName(a.name, b.name))) {
    const root = find(d.name);
    groups.set(root, [...(groups.get(root) ?? []), d]);
  }
  return [...groups.values()].sort((a, b) => byName(a[0]!.name, b[0]!.name));
}

// The management network of connected domains: the one most of them are on (libvirt's `default`
// first on a tie, then name order), if at least two are on it.
function managementOf(domains: ListedDomain[]): string | undefined {
  const count = new Map<string, number>();
  for (const d of domains) for (const net of networksOf(d)) count.set(net, (count.get(net) ?? 0) + 1);
  const ranked = [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] === 'default' ? -1 : b[0] === 'default' ? 1 : byName(a[0], b[0])));
  const top = ranked[0];
  return top && top[1] >= 2 ? top[0] : undefined;
}

// What a name says of its role: 1 for `vm1`, `VM 1`, `ubuntu-1`; 3 likewise; undefined otherwise.
export function numberInName(name: string): 1 | 3 | undefined {
  const vm = /vm[\s_-]?([13])(?![0-9])/i.exec(name);
  const standalone = [...name.matchAll(/(?<![0-9])([13])(?![0-9])/g)].map((m) => m[1]);
  const digit = vm?.[1] ?? (standalone.length === 1 ? standalone[0] : undefined);
  return digit === '1' ? 1 : digit === '3' ? 3 : undefined;
}

// VM1 and VM3 of two end VMs: as their names say when they say it (one says 1 or the other 3,
// without contradiction), else the one whose name sorts first is VM1.
function orderEnds(a: ListedDomain, b: ListedDomain): { vm1: ListedDomain; vm3: ListedDomain; byName: boolean } {
  const [na, nb] = [numberInName(a.name), numberInName(b.name)];
  if (na !== nb && (na === 1 || nb === 3)) return { vm1: a, vm3: b, byName: true };
  if (na !== nb && (nb === 1 || na === 3)) return { vm1: b, vm3: a, byName: true };
  const [first, second] = byName(a.name, b.name) <= 0 ? [a, b] : [b, a];
  return { vm1: first, vm3: second, byName: false };
}

interface Cast {
  domains: Partial<Record<Role, ListedDomain>>;
  internalNetworks: string[];
  roles: RoleAssignment[];
  problems: string[];
}

const state = (d: ListedDomain) => (d.state === 'running' ? '' : `; it is ${d.state}`);

// The roles of a group of domains, as far as the exercise's shape allows; every misfit a problem.
function castRoles(group: ListedDomain[], management: string | undefined): Cast {
  const internal = (d: ListedDomain) => networksOf(d).filter((n) => n !== management);
  const problems: string[] = [];
  const routers = group.filter((d) => internal(d).length >= 2);
  const router = routers.length === 1 ? routers[0] : undefined;
  if (routers.length === 0) problems.push('no router: no domain has NICs on two internal networks');
  if (routers.length > 1) problems.push(`no single router: ${routers.map((d) => d.name).join(', ')} each have NICs on two internal networks`);
  if (router && internal(router).length > 2) problems.push(`the router ${router.name} has NICs on ${internal(router).length} internal networks (${internal(router).join(', ')}), not two`);
  const internalNetworks = router ? internal(router) : [...new Set(group.flatMap(internal))].sort();
  const candidates = group.filter((d) => d !== router && !routers.includes(d) && internal(d).length === 1 && internalNetworks.includes(internal(d)[0]!));
  const others = group.filter((d) => !routers.includes(d) && !candidates.includes(d));
  for (const d of others) problems.push(`${d.name} is not on the router's internal networks (${internal(d).join(', ') || 'no internal NIC'})`);

  const domains: Cast['domains'] = router ? { router } : {};
  const roles: RoleAssignment[] = [];
  let endsByName = false;
  if (candidates.length === 2) {
    const ends = orderEnds(candidates[0]!, candidates[1]!);
    domains.vm1 = ends.vm1;
    domains.vm3 = ends.vm3;
    endsByName = ends.byName;
    if (internal(ends.vm1)[0] === internal(ends.vm3)[0]) problems.push(`${ends.vm1.name} and ${ends.vm3.name} are both on ${internal(ends.vm1)[0]}: the router has nothing to route between them`);
  } else if (candidates.length === 1) {
    const only = candidates[0]!;
    const slot = numberInName(only.name) === 3 ? 'vm3' : 'vm1';
    domains[slot] = only;
    const missing = router ? internal(router).filter((n) => n !== internal(only)[0]) : [];
    problems.push(`no ${slot === 'vm1' ? 'VM3' : 'VM1'}: no other domain has one NIC on ${missing.length > 0 ? missing.join(' or ') : "the router's other internal network"}`);
  } else if (candidates.length > 2) {
    problems.push(`more than two end VMs: ${candidates.map((d) => d.name).join(', ')} (which are VM1 and VM3 is not guessed)`);
  } else {
    problems.push('no VM1 or VM3: no domain has exactly one NIC on an internal network of the router');
  }

  for (const role of ['vm1', 'router', 'vm3'] as const) {
    const d = domains[role];
    if (!d) {
      roles.push({ role, why: 'no domain fits' });
      continue;
    }
    const nets = networksOf(d).join(', ');
    const why =
      role === 'router'
        ? `NICs on ${nets}`
        : `one NIC on ${internal(d)[0]}${endsByName ? `, and its name says ${role === 'vm1' ? '1' : '3'}` : candidates.length === 2 ? `, and its name sorts ${role === 'vm1' ? 'first' : 'second'} (the names do not say 1 or 3)` : ''}`;
    roles.push({ role, domain: d.name, state: d.state, why: `${role} = ${d.name}: ${why}${state(d)}` });
    if (management && !networksOf(d).includes(management)) problems.push(`${d.name} has no NIC on the management network ${management}`);
  }
  if (!management) problems.push('no management network: no network is shared by the domains');
  return { domains, internalNetworks, roles, problems };
}

// The key that splits a group of several students' domains: the name up to its first `-` or `_`.
function nameKey(name: string): string {
  return name.split(/[-_]/)[0]!.toLowerCase();
}

// What the names of a lab's domains share (`alice-vm1`, `alice-router` -> `alice`), cut at a
// separator; empty when they share nothing.
export function commonPrefix(names: string[]): string {
  if (names.length < 2) return '';
  let prefix = names[0]!;
  for (const n of names.slice(1)) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(...['-', '_', '.', ' '].map((s) => prefix.lastIndexOf(s)));
  return cut > 0 ? prefix.slice(0, cut) : '';
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'lab';

// The labs of one hypervisor (see the README's "Grade a class" for the rules). Deterministic: the
// same domains give the same labs, roles and names in the same order.
export function shapeOfServer(hypervisor: string, listed: ListedDomain[]): ServerShape {
  const unassigned: ServerShape['unassigned'] = [];
  const casts: Array<Cast & { members: ListedDomain[]; management?: string; extra: string[] }> = [];
  for (const d of listed.filter((d) => d.interfaces.length === 0)) unassigned.push({ domain: d.name, why: 'it has no NIC' });
  for (const component of components(listed.filter((d) => d.interfaces.length > 0), () => true)) {
    const management = managementOf(component);
    const groups = components(component, (n) => n !== management);
    const rest: ListedDomain[] = [];
    for (const group of groups) {
      const internal = (d: ListedDomain) => networksOf(d).filter((n) => n !== management);
      const routers = group.filter((d) => internal(d).length >= 2).length;
      if (group.every((d) => internal(d).length === 0)) {
        for (const d of group) unassigned.push({ domain: d.name, why: `it has NICs only on the management network ${management} (no internal network)` });
      } else if (group.length >= 2 && group.length <= 3 && routers <= 1) {
        // Connected by their internal networks: one lab, whatever its misfits.
        casts.push({ ...castRoles(group, management), members: group, management, extra: [] });
      } else rest.push(...group);
    }
    // Domains that fit no lab by the topology alone: a lab missing its router, two labs on one
    // internal network. Their names decide which belong together; a lone one is no lab.
    const buckets = new Map<string, ListedDomain[]>();
    for (const d of rest) buckets.set(nameKey(d.name), [...(buckets.get(nameKey(d.name)) ?? []), d]);
    for (const [, members] of [...buckets.entries()].sort((a, b) => byName(a[0], b[0]))) {
      if (members.length === 1) {
        const d = members[0]!;
        const nets = networksOf(d).filter((n) => n !== management);
        unassigned.push({ domain: d.name, why: `no other domain shares its internal network${nets.length > 1 ? 's' : ''} ${nets.join(', ')} or its name's prefix` });
        continue;
      }
      const cast = castRoles(members, management);
      const mine = new Set(members.map((d) => d.name));
      const shared = [...new Set(members.flatMap((d) => networksOf(d).filter((n) => n !== management)))]
        .map((net) => ({ net, strangers: rest.filter((d) => !mine.has(d.name) && networksOf(d).includes(net)).map((d) => d.name) }))
        .filter((s) => s.strangers.length > 0)
        .map((s) => `the internal network ${s.net} is also used by ${s.strangers.join(', ')} (another lab's domains, by their names)`);
      casts.push({ ...cast, members, management, extra: shared });
    }
  }
  const labs = nameLabs(casts).map(({ name, cast }) => ({
    name,
    domains: Object.fromEntries(Object.entries(cast.domains).map(([role, d]) => [role, d!.name])) as Partial<Record<Role, string>>,
    discovery: {
      hypervisor,
      ...(cast.management ? { management: cast.management } : {}),
      internalNetworks: cast.internalNetworks,
      roles: cast.roles,
      problems: [...cast.extra, ...cast.problems],
    },
  }));
  return { labs: labs.sort((a, b) => byName(a.name, b.name)), unassigned: unassigned.sort((a, b) => byName(a.domain, b.domain)) };
}

// Each lab named after its domains' common prefix, else its router (else its first domain); a name
// two labs would share falls back the same way, then gets `-2`, `-3` in the labs' order.
function nameLabs<T extends Cast & { members: ListedDomain[] }>(casts: T[]): Array<{ name: string; cast: T }> {
  const fallback = (c: T) => safeName(c.domains.router?.name ?? c.members[0]!.name);
  const first = casts.map((c) => safeName(commonPrefix(c.members.map((d) => d.name))) );
  const named = casts.map((c, i) => {
    const prefix = commonPrefix(c.members.map((d) => d.name)) ? first[i]! : '';
    const clash = prefix !== '' && first.filter((n) => n === prefix).length > 1;
    return prefix && !clash ? prefix : fallback(c);
  });
  const seen = new Map<string, number>();
  return casts.map((cast, i) => {
    const n = (seen.get(named[i]!) ?? 0) + 1;
    seen.set(named[i]!, n);
    return { name: n === 1 ? named[i]! : `${named[i]}-${n}`, cast };
  });
}
