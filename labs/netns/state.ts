// Where labs live: `.lab/<name>/` per checkout, and machine-wide slot claims under /run.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_SLOTS } from './plan.ts';
import { LabError } from '../kit/errors.ts';
import { isVariant, type Variant } from './variants.ts';
import { isLabName } from '../kit/lab-name.ts';
import { labOrigin, slotClaims } from '../kit/slot-claims.ts';

export { DEFAULT_LABS_DIR } from '../kit/labs-dir.ts';

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

const claims = slotClaims(SLOTS_DIR, MAX_SLOTS);

/** What the lab's inventory names as its origin (the grader refuses it once the slot is claimed anew). */
export const slotOrigin = (slot: number) => labOrigin(claims, 'netns', slot);

export async function claimSlot(stateDir: string, usable: (slot: number) => Promise<boolean>): Promise<number> {
  const slot = await claims.claim(stateDir, usable);
  if (slot === undefined) throw new LabError(`no free lab slot: all ${MAX_SLOTS} are taken or collide (see npm run lab -- list)`);
  return slot;
}

export const releaseSlot = claims.release;
export const slotOwner = claims.owner;
export const forgetSlot = claims.forget;
export const slotOwnedBy = claims.ownedBy;

export interface SlotClaim {
  slot: number;
  /** State dir of the lab holding it; undefined while being claimed. */
  owner: string | undefined;
  /** The owner's state dir is gone: nobody will tear this slot down but `down --all`. */
  stale: boolean;
}

export async function listSlots(): Promise<SlotClaim[]> {
  return (await claims.list()).map(({ slot, owner }) => ({ slot, owner, stale: owner !== undefined && !existsSync(owner) }));
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
  // A VM lab (labs/libvirt/) keeps its state beside ours: its folders are not ours to tear down.
  const ours = entries.filter((e) => e.isDirectory() && isLabName(e.name) && !existsSync(join(labsDir, e.name, 'vm-lab.json')));
  return ours.map((e) => e.name).sort();
}
