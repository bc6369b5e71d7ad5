// Where labs live: `.lab/<name>/` per checkout, and machine-wide slot claims under /run.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_SLOTS } from './plan.ts';
import { LabError, LabExistsError } from './errors.ts';
import { isVariant, type Variant } from './variants.ts';

/** `.lab/` at the root of this checkout. */
export const DEFAULT_LABS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '.lab');

/**
 * Slot claims are machine-wide (namespace names and the root-namespace subnet are), so they live
 * outside any checkout: `mkdir` of `<dir>/<slot>` is the atomic claim, `owner` names the state dir.
 */
export const SLOTS_DIR = '/run/router-lab-grader/slots';

export interface LabState {
  name: string;
  slot: number;
  variant: Variant;
  stateDir: string;
  /** `building` until `up` finished; a lab left `building` was interrupted. */
  phase: 'building' | 'up';
  createdAt: string;
  /** What `down` removes (also derivable from the slot). */
  namespaces: string[];
  rootLink: string;
}

/**
 * Claims `.lab/<name>` (mkdir, so two `up`s of one name cannot both win). `cli` is the command that
 * tears such a lab down (`lab`, `vmlab`), for the message when the name is taken.
 */
export async function claimName(labsDir: string, name: string, cli: 'lab' | 'vmlab' = 'lab'): Promise<string> {
  await mkdir(labsDir, { recursive: true });
  const stateDir = join(labsDir, name);
  try {
    await mkdir(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new LabExistsError(`lab '${name}' already exists (${stateDir}); tear it down first: npm run ${cli} -- down --name ${name}`);
    }
    throw error;
  }
  return stateDir;
}

/**
 * Claims the lowest free slot of `slotsDir` (mkdir is atomic, machine-wide) for `stateDir`.
 * `usable(slot)` vetoes a claimed slot (namespaces left over, subnet taken in the root namespace);
 * a vetoed claim is released and the next tried. Undefined when every slot is taken.
 */
export async function claimSlotIn(slotsDir: string, slots: number, stateDir: string, usable: (slot: number) => Promise<boolean>): Promise<number | undefined> {
  await mkdir(slotsDir, { recursive: true });
  for (let slot = 0; slot < slots; slot++) {
    const dir = join(slotsDir, String(slot));
    try {
      await mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    await writeFile(join(dir, 'owner'), `${stateDir}\n`);
    if (await usable(slot)) return slot;
    await rm(dir, { recursive: true, force: true });
  }
  return undefined;
}

export async function claimSlot(stateDir: string, usable: (slot: number) => Promise<boolean>): Promise<number> {
  const slot = await claimSlotIn(SLOTS_DIR, MAX_SLOTS, stateDir, usable);
  if (slot === undefined) throw new LabError(`no free lab slot: all ${MAX_SLOTS} are taken or collide (see npm run lab -- list)`);
  return slot;
}

/** Releases `slot` if `stateDir` owns it (never another lab's claim). */
export async function releaseSlot(slot: number, stateDir: string): Promise<void> {
  const owner = await slotOwner(slot);
  if (owner === stateDir) await rm(join(SLOTS_DIR, String(slot)), { recursive: true, force: true });
}

export async function slotOwner(slot: number): Promise<string | undefined> {
  try {
    return (await readFile(join(SLOTS_DIR, String(slot), 'owner'), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

export interface SlotClaim {
  slot: number;
  /** State dir of the lab holding it; undefined while being claimed. */
  owner: string | undefined;
  /** The owner's state dir is gone: nobody will tear this slot down but `down --all`. */
  stale: boolean;
}

export async function listSlots(): Promise<SlotClaim[]> {
  if (!existsSync(SLOTS_DIR)) return [];
  const claims: SlotClaim[] = [];
  for (const entry of await readdir(SLOTS_DIR)) {
    if (!/^\d+$/.test(entry)) continue;
    const slot = Number(entry);
    const owner = await slotOwner(slot);
    claims.push({ slot, owner, stale: owner !== undefined && !existsSync(owner) });
  }
  return claims.sort((a, b) => a.slot - b.slot);
}

export async function forgetSlot(slot: number): Promise<void> {
  await rm(join(SLOTS_DIR, String(slot)), { recursive: true, force: true });
}

export async function writeState(state: LabState): Promise<void> {
  await writeFile(join(state.stateDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
}

export async function readState(stateDir: string): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, 'state.json'), 'utf8');
  } catch {
    return undefined;
  }
  const state = JSON.parse(text) as LabState;
  if (typeof state.slot !== 'number' || !isVariant(state.variant)) {
    throw new LabError(`${join(stateDir, 'state.json')} is not a lab state file`);
  }
  return state;
}

/** Names of the labs in `labsDir` (directories, with or without a state file). */
export async function labNames(labsDir: string): Promise<string[]> {
  if (!existsSync(labsDir)) return [];
  const entries = await readdir(labsDir, { withFileTypes: true });
  // A VM lab (vm-lab/) keeps its state beside ours: its folders are not ours to tear down.
  const ours = entries.filter((e) => e.isDirectory() && /^[a-z0-9-]{1,32}$/.test(e.name) && !existsSync(join(labsDir, e.name, 'vm-lab.json')));
  return ours.map((e) => e.name).sort();
}
