// The labs of `vmlab -- up --labs N --naming lab|people`: their names and their domains' names.
import type { VmRole } from '../kit/roles.ts';

export const NAMINGS = ['lab', 'people'] as const;
export type Naming = (typeof NAMINGS)[number];
export function isNaming(value: string): value is Naming {
  return (NAMINGS as readonly string[]).includes(value);
}

/** Students' logins for `--naming people`, one lab each, in order. */
export const PEOPLE = ['alice', 'bob', 'carol', 'dave'] as const;
/** How each student names their three domains (role names the grader must not rely on). */
const PEOPLE_DOMAINS: ReadonlyArray<Record<VmRole, string>> = [
  { vm1: 'vm1', router: 'router', vm3: 'vm3' },
  { vm1: 'vm-a', router: 'gw', vm3: 'vm-b' },
  { vm1: 'ubuntu22.04', router: 'router-vm', vm3: 'ubuntu22.04-clone' },
  { vm1: 'client', router: 'fw', vm3: 'server' },
];

/** The labs `up --labs N --naming ...` builds: each lab's name and, for people, its domains' names. */
export function namedLabs(count: number, naming: Naming, name: string): Array<{ name: string; domainNames?: Record<VmRole, string> }> {
  if (!Number.isInteger(count) || count < 1 || count > PEOPLE.length) throw new Error(`the number of labs must be 1..${PEOPLE.length}, got ${count}`);
  return Array.from({ length: count }, (_, i) => {
    if (naming === 'lab') return { name: count === 1 ? name : `${name}${i + 1}` };
    const person = PEOPLE[i]!;
    const style = PEOPLE_DOMAINS[i]!;
    return { name: person, domainNames: { vm1: `${person}-${style.vm1}`, router: `${person}-${style.router}`, vm3: `${person}-${style.vm3}` } };
  });
}
