import { ROLES, type Role } from '../core/roles.ts';
import type { SshEndpoint } from '../transport/ssh-host.ts';
import type { LabTarget, VmTarget } from '../transport/targets.ts';
import { ConfigError } from './config-error.ts';
import { inventorySchema } from './inventory-schema.ts';
import { loadDocument } from './load-document.ts';
import { validateDocument } from './validate.ts';

interface RawEndpoint {
  address?: string;
  user?: string;
  port?: number;
}

interface RawLab {
  vm1?: RawEndpoint;
  router?: RawEndpoint;
  vm3?: RawEndpoint;
  jump?: RawEndpoint & { address: string };
  hypervisor?: 'local' | (RawEndpoint & { address: string; uri?: string });
  domains?: Partial<Record<Role, string>>;
}

interface RawInventory {
  defaults?: { user?: string; port?: number; jump?: RawEndpoint & { address: string } };
  labs: Record<string, RawLab>;
}

export const DEFAULT_LIBVIRT_URI = 'qemu:///system';

export interface Inventory {
  path: string;
  labs: Map<string, LabTarget>;
}

const SECRET_KEY = /pass(word|phrase)?|secret|key|identity|token/i;

// Secrets never live in the inventory: the pointers of keys that look like one.
function secretPointers(value: unknown, pointer = ''): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const here = `${pointer}/${key}`;
    return SECRET_KEY.test(key) && typeof inner !== 'object' ? [here] : secretPointers(inner, here);
  });
}

export async function loadInventory(path: string): Promise<Inventory> {
  const doc = await loadDocument(path, 'inventory');
  const pointers = secretPointers(doc.data);
  const secrets = pointers.map(
    (p) => `${doc.locate(p)}: ${p}: secrets do not belong in the inventory; set GRADER_SSH_KEY, GRADER_SSH_KEY_PASSPHRASE or GRADER_SSH_PASSWORD in the environment or .env`,
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
  const problems: string[] = [];
  for (const [name, lab] of Object.entries(raw.labs)) {
    if (!lab.hypervisor) {
      for (const role of ROLES.filter((r) => !lab[r]?.address)) {
        problems.push(`${doc.locate(`/labs/${name}`)}: /labs/${name}/${role}: needs an address (or give the lab a hypervisor to find it)`);
      }
    }
    labs.set(name, labTarget(name, lab, { user, port, jump: raw.defaults?.jump }));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { path, labs };
}

interface Defaults {
  user: string;
  port: number;
  jump?: RawEndpoint & { address: string };
}

function labTarget(name: string, lab: RawLab, defaults: Defaults): LabTarget {
  const endpoint = (e: RawEndpoint & { address: string }): SshEndpoint => ({ host: e.address, port: e.port ?? defaults.port, user: e.user ?? defaults.user });
  const vms = Object.fromEntries(
    ROLES.map((role) => {
      const e = lab[role] ?? {};
      return [role, { host: e.address, port: e.port ?? defaults.port, user: e.user ?? defaults.user, domain: lab.domains?.[role] ?? role }];
    }),
  ) as Record<Role, VmTarget>;
  const jump = lab.jump ?? defaults.jump;
  const h = lab.hypervisor;
  const hypervisor = h === undefined ? undefined : h === 'local' ? { uri: DEFAULT_LIBVIRT_URI } : { endpoint: endpoint(h), uri: h.uri ?? DEFAULT_LIBVIRT_URI };
  return { name, vms, ...(jump ? { jump: endpoint(jump) } : {}), ...(hypervisor ? { hypervisor } : {}), ...(hypervisor && !lab.domains ? { findDomains: true } : {}) };
}

// The lab called `name`, or a usage error that lists the known ones.
export function findLab(inventory: Inventory, name: string): LabTarget {
  const lab = inventory.labs.get(name);
  if (lab) return lab;
  const known = [...inventory.labs.keys()];
  const shown = known.length > 10 ? `${known.slice(0, 10).join(', ')}, ... (${known.length} in all)` : known.join(', ');
  throw new ConfigError([`unknown lab '${name}': ${inventory.path} has ${shown}`]);
}
