import { looksLikeMistypedIpv4 } from '../core/ipv4.ts';
import { CLASS_FILES, reportFileCollisions } from '../core/report-files.ts';
import { ROLES, type Role } from '../core/roles.ts';
import type { SshEndpoint } from '../transport/ssh-host.ts';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CredentialSource, LabTarget, VmTarget } from '../transport/targets.ts';
import { ConfigError } from './config-error.ts';
import { CREDENTIAL_POINTERS, inventorySchema } from './inventory-schema.ts';
import { loadDocument } from './load-document.ts';
import type { LabOrigin } from './lab-origin.ts';
import { validateDocument } from './validate.ts';

interface RawEndpoint {
  address?: string;
  user?: string;
  port?: number;
}

type RawCredentials = Omit<CredentialSource, 'where'>;
type RawVm = RawEndpoint & { credentials?: RawCredentials };

interface RawLab {
  vm1?: RawVm;
  router?: RawVm;
  vm3?: RawVm;
  credentials?: RawCredentials;
  jump?: RawEndpoint & { address: string };
  hypervisor?: 'local' | (RawEndpoint & { address: string; uri?: string });
  domains?: Partial<Record<Role, string>>;
  origin?: LabOrigin;
}

interface RawInventory {
  defaults?: { user?: string; port?: number; jump?: RawEndpoint & { address: string } };
  labs: Record<string, RawLab>;
}

export const DEFAULT_LIBVIRT_URI = 'qemu:///system';

export interface Inventory {
  path: string;
  labs: Map<string, LabTarget>;
  /** The labs a lab provider of this machine built (`origin`), by name. */
  origins?: Map<string, LabOrigin>;
}

const SECRET_KEY = /pass(word|phrase)?|secret|key|identity|token/i;

// Secrets never live in the inventory: the pointers of keys that look like one.
function secretPointers(value: unknown, pointer = ''): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const here = `${pointer}/${key}`;
    // The pointers of a `credentials` object name where a secret is, never the secret itself.
    if (pointer.endsWith('/credentials') && (CREDENTIAL_POINTERS as readonly string[]).includes(key)) return [];
    return SECRET_KEY.test(key) && typeof inner !== 'object' ? [here] : secretPointers(inner, here);
  });
}

export async function loadInventory(path: string): Promise<Inventory> {
  const doc = await loadDocument(path, 'inventory');
  const pointers = secretPointers(doc.data);
  const secrets = pointers.map(
    (p) =>
      `${doc.locate(p)}: ${p}: secrets do not belong in the inventory; set GRADER_SSH_KEY, GRADER_SSH_KEY_PASSPHRASE or GRADER_SSH_PASSWORD in the environment or .env, or point to them with credentials: { keyFile, passwordEnv, ... }`,
  );
  let raw: RawInventory;
  try {
    raw = validateDocument<RawInventory>(inventorySchema, doc);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError([...secrets, ...error.problems.filter((problem) => !pointers.some((p) => problem.includes(`: ${p}: `)))]);
  }
  if (secrets.length > 0) throw new ConfigError(secrets);
  const user = raw.defaults?.user ?? process.env.USER ?? 'root';
  const port = raw.defaults?.port ?? 22;
  const labs = new Map<string, LabTarget>();
  const origins = new Map<string, LabOrigin>();
  const problems: string[] = mistypedAddresses(raw).map((p) => `${doc.locate(p.pointer)}: ${p.pointer}: ${mistypedIpv4Problem(p.address)}`);
  for (const [name, lab] of Object.entries(raw.labs)) {
    if (!lab.hypervisor) {
      for (const role of ROLES.filter((r) => !lab[r]?.address)) {
        problems.push(`${doc.locate(`/labs/${name}`)}: /labs/${name}/${role}: needs an address (or give the lab a hypervisor to find it)`);
      }
    }
    const source = (c: RawCredentials | undefined, pointer: string) => (c ? credentialSource(c, `${doc.locate(pointer)}: ${pointer}`, dirname(path)) : undefined);
    const target = labTarget(name, lab, { user, port, jump: raw.defaults?.jump }, source);
    labs.set(name, lab.origin ? { ...target, builtBy: lab.origin.provider } : target);
    if (lab.origin) origins.set(name, lab.origin);
  }
  problems.push(...fileNameProblems([...labs.keys()], doc.locate));
  if (problems.length > 0) throw new ConfigError(problems);
  return { path, labs, origins };
}

export function mistypedIpv4Problem(address: string): string {
  return `'${address}' is not an IPv4 address (each of the four numbers is 0 to 255), and digits and dots are no host name: a typo?`;
}

// Every address of the inventory that looks like an IPv4 address with a typo, with its pointer.
function mistypedAddresses(raw: RawInventory): Array<{ pointer: string; address: string }> {
  const found: Array<{ pointer: string; address: string }> = [];
  const visit = (pointer: string, e: { address?: string } | string | undefined) => {
    if (e && typeof e === 'object' && e.address !== undefined && looksLikeMistypedIpv4(e.address)) found.push({ pointer: `${pointer}/address`, address: e.address });
  };
  visit('/defaults/jump', raw.defaults?.jump);
  for (const [name, lab] of Object.entries(raw.labs)) {
    for (const key of [...ROLES, 'jump', 'hypervisor'] as const) visit(`/labs/${name}/${key}`, lab[key]);
  }
  return found;
}

// Lab names whose reports would overwrite another lab's (rt1, rt1-, RT1) or a class file (class).
function fileNameProblems(names: string[], locate: (pointer: string) => string): string[] {
  const files = (stem: string) => `${stem}.json, ${stem}.xml`;
  const line = (lab: string) => /:(\d+):\d+$/.exec(locate(`/labs/${lab}`))?.[1];
  return reportFileCollisions(names).map(({ lab, stem, other, caseOnly }) => {
    const why =
      other !== undefined
        ? `would overwrite those of lab ${other}${line(other) ? ` (line ${line(other)})` : ''}${caseOnly ? ' where file names ignore case (macOS, Windows)' : ''}: rename one of them`
        : `would take the name of the class reports (${Object.values(CLASS_FILES).join(', ')}): rename the lab`;
    return `${locate(`/labs/${lab}`)}: /labs/${lab}: its reports (${files(stem)}) ${why}`;
  });
}

interface Defaults {
  user: string;
  port: number;
  jump?: RawEndpoint & { address: string };
}

// Paths are taken from the inventory's directory, as the `.env` beside it is; `~/` is the home.
function credentialSource(raw: RawCredentials, where: string, base: string): CredentialSource {
  const path = (p: string) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : resolve(base, p));
  return {
    ...raw,
    ...(raw.keyFile ? { keyFile: path(raw.keyFile) } : {}),
    ...(raw.passwordFile ? { passwordFile: path(raw.passwordFile) } : {}),
    where,
  };
}

type SourceOf = (raw: RawCredentials | undefined, pointer: string) => CredentialSource | undefined;

function labTarget(name: string, lab: RawLab, defaults: Defaults, sourceOf: SourceOf): LabTarget {
  const endpoint = (e: RawEndpoint & { address: string }): SshEndpoint => ({ host: e.address, port: e.port ?? defaults.port, user: e.user ?? defaults.user });
  const vms = Object.fromEntries(
    ROLES.map((role) => {
      const e = lab[role] ?? {};
      const credentials = sourceOf(e.credentials, `/labs/${name}/${role}/credentials`);
      return [role, { host: e.address, port: e.port ?? defaults.port, user: e.user ?? defaults.user, domain: lab.domains?.[role] ?? role, ...(credentials ? { credentials } : {}) }];
    }),
  ) as Record<Role, VmTarget>;
  const jump = lab.jump ?? defaults.jump;
  const h = lab.hypervisor;
  const hypervisor = h === undefined ? undefined : h === 'local' ? { uri: DEFAULT_LIBVIRT_URI } : { endpoint: endpoint(h), uri: h.uri ?? DEFAULT_LIBVIRT_URI };
  const credentials = sourceOf(lab.credentials, `/labs/${name}/credentials`);
  return { name, vms, ...(jump ? { jump: endpoint(jump) } : {}), ...(hypervisor ? { hypervisor } : {}), ...(hypervisor && !lab.domains ? { findDomains: true } : {}), ...(credentials ? { credentials } : {}) };
}

// The lab called `name`, or a usage error that lists the known ones.
export function findLab(inventory: Inventory, name: string): LabTarget {
  const lab = inventory.labs.get(name);
  if (lab) return lab;
  const known = [...inventory.labs.keys()];
  const shown = known.length > 10 ? `${known.slice(0, 10).join(', ')}, ... (${known.length} in all)` : known.join(', ');
  throw new ConfigError([`unknown lab '${name}': ${inventory.path} has ${shown}`]);
}
