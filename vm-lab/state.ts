// Where VM labs live: `.lab/<name>/` per checkout, and machine-wide slot claims under /run.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimSlotIn } from '../reference-lab/state.ts';
import { LabError } from './errors.ts';
import type { NetworkRole, VmLabPlan, VmPlanInput, VmRole } from './plan.ts';
import { MAX_SLOTS } from './plan.ts';

/** `.lab/` at the root of this checkout (shared with the reference lab: one name, one lab). */
export const DEFAULT_LABS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '.lab');

/**
 * Slots are machine-wide (bridge names and root-namespace subnets are): `mkdir <dir>/<slot>` is
 * the atomic claim and `owner` names the state dir. Apart from the reference lab's slots.
 */
export const VM_SLOTS_DIR = '/run/router-lab-grader/vm-slots';

// The plan's input (from which the plan is recomputed), and what exists on the machine.
export interface VmLabState extends VmPlanInput {
  kind: 'vm-lab';
  /** `building` until `up` finished; a lab left `building` was interrupted. */
  phase: 'building' | 'up';
  /** What `down` removes: exactly these names, and only while they still carry these UUIDs. */
  domains: Record<VmRole, { name: string; uuid: string }>;
  networks: Record<NetworkRole, { name: string; uuid: string; bridge: string }>;
}

export function stateOf(plan: VmLabPlan, createdAt: string, phase: VmLabState['phase']): VmLabState {
  const { vms, networks } = plan;
  const domain = (role: VmRole): { name: string; uuid: string } => ({ name: vms[role].domain, uuid: vms[role].uuid });
  const network = (role: NetworkRole): { name: string; uuid: string; bridge: string } => ({
    name: networks[role].name,
    uuid: networks[role].uuid,
    bridge: networks[role].bridge,
  });
  return {
    kind: 'vm-lab',
    name: plan.name,
    slot: plan.slot,
    nic: plan.nic,
    variant: plan.variant,
    guest: plan.guest,
    domainType: plan.domainType,
    stateDir: plan.stateDir,
    createdAt,
    phase,
    image: plan.image,
    ...(plan.domainNames ? { domainNames: plan.domainNames } : {}),
    domains: { vm1: domain('vm1'), router: domain('router'), vm3: domain('vm3') },
    networks: { management: network('management'), internal1: network('internal1'), internal2: network('internal2') },
  };
}


/** Claims the lowest free slot for `stateDir`; `usable(slot)` vetoes one (its subnets or bridges are taken). */
export async function claimSlot(stateDir: string, usable: (slot: number) => Promise<boolean>): Promise<number> {
  const slot = await claimSlotIn(VM_SLOTS_DIR, MAX_SLOTS, stateDir, usable);
  if (slot === undefined) throw new LabError(`no free VM lab slot: all ${MAX_SLOTS} are taken or collide with this machine's routes`);
  return slot;
}

export async function slotOwner(slot: number): Promise<string | undefined> {
  try {
    return (await readFile(join(VM_SLOTS_DIR, String(slot), 'owner'), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Releases `slot` if `stateDir` owns it (never another lab's claim). */
export async function releaseSlot(slot: number, stateDir: string): Promise<void> {
  if ((await slotOwner(slot)) === stateDir) await rm(join(VM_SLOTS_DIR, String(slot)), { recursive: true, force: true });
}

/** The slot `stateDir` holds, found from the claims (when the state file was never written). */
export async function slotOwnedBy(stateDir: string): Promise<number | undefined> {
  if (!existsSync(VM_SLOTS_DIR)) return undefined;
  for (const entry of await readdir(VM_SLOTS_DIR)) {
    if (/^\d+$/.test(entry) && (await slotOwner(Number(entry))) === stateDir) return Number(entry);
  }
  return undefined;
}

/**
 * Not `state.json`: that is the reference lab's, and neither lab's tools must take the other's
 * directory for one of theirs.
 */
export const STATE_FILE = 'vm-lab.json';

/** Written in the state dir and, as a spare, in the slot claim (see staleSlots). */
export async function writeState(state: VmLabState): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  await writeFile(join(state.stateDir, STATE_FILE), text);
  if ((await slotOwner(state.slot)) === state.stateDir) await writeFile(join(VM_SLOTS_DIR, String(state.slot), STATE_FILE), text);
}

export interface StaleSlot {
  slot: number;
  owner: string;
  /** The spare copy of the lab's state, when `up` got that far. */
  state: VmLabState | undefined;
}

/**
 * Claims whose state dir is gone (removed by hand, or by another tool): nothing but these claims
 * remembers what those labs defined in libvirt.
 */
export async function staleSlots(): Promise<StaleSlot[]> {
  if (!existsSync(VM_SLOTS_DIR)) return [];
  const stale: StaleSlot[] = [];
  for (const entry of await readdir(VM_SLOTS_DIR)) {
    if (!/^\d+$/.test(entry)) continue;
    const slot = Number(entry);
    const owner = await slotOwner(slot);
    if (owner === undefined || existsSync(owner)) continue;
    stale.push({ slot, owner, state: await readState(join(VM_SLOTS_DIR, entry)).catch(() => undefined) });
  }
  return stale.sort((a, b) => a.slot - b.slot);
}

/** Names of the VM labs in `labsDir` (directories holding a VM lab state file). */
export async function vmLabNames(labsDir: string): Promise<string[]> {
  if (!existsSync(labsDir)) return [];
  const entries = await readdir(labsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && /^[a-z0-9-]{1,32}$/.test(e.name) && existsSync(join(labsDir, e.name, STATE_FILE)))
    .map((e) => e.name)
    .sort();
}

export async function readState(stateDir: string): Promise<VmLabState | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, STATE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const state = JSON.parse(text) as Partial<VmLabState>;
  if (state.kind !== 'vm-lab' || typeof state.slot !== 'number' || !state.domains || !state.networks) {
    throw new LabError(`${join(stateDir, STATE_FILE)} is not a VM lab's state file`);
  }
  return state as VmLabState;
}
