import { ROLES, type Role } from '../lab/roles.ts';
import type { SshEndpoint } from '../transport/ssh-host.ts';
import { ConfigError } from './config-error.ts';
import { inventorySchema } from './inventory-schema.ts';
import { loadDocument } from './load-document.ts';
import { validateDocument } from './validate.ts';

// One student's lab: where its three VMs are, and the host that leads to them, if any.
export interface LabTarget {
  name: string;
  vms: Record<Role, SshEndpoint>;
  jump?: SshEndpoint;
}

interface RawEndpoint {
  address: string;
  user?: string;
  port?: number;
}

interface RawInventory {
  defaults?: { user?: string; port?: number; jump?: RawEndpoint };
  labs: Record<string, Record<Role | 'jump', RawEndpoint | undefined>>;
}

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
  const resolve = (e: RawEndpoint): SshEndpoint => ({ host: e.address, port: e.port ?? port, user: e.user ?? user });
  const labs = new Map<string, LabTarget>();
  for (const [name, lab] of Object.entries(raw.labs)) {
    const vms = Object.fromEntries(ROLES.map((role) => [role, resolve(lab[role]!)])) as Record<Role, SshEndpoint>;
    const jump = lab.jump ?? raw.defaults?.jump;
    labs.set(name, { name, vms, jump: jump ? resolve(jump) : undefined });
  }
  return { path, labs };
}

// The lab called `name`, or a usage error that lists the known ones.
export function findLab(inventory: Inventory, name: string): LabTarget {
  const lab = inventory.labs.get(name);
  if (lab) return lab;
  const known = [...inventory.labs.keys()];
  const shown = known.length > 10 ? `${known.slice(0, 10).join(', ')}, ... (${known.length} in all)` : known.join(', ');
  throw new ConfigError([`unknown lab '${name}': ${inventory.path} has ${shown}`]);
}
