// Where VM labs live: `.lab/<name>/` per checkout, and machine-wide slot claims under /run.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isLabName } from '../kit/lab-name.ts';
import { labOrigin, slotClaims } from '../kit/slot-claims.ts';
import { LabError } from './errors.ts';
import type { NetworkRole, VmLabPlan, VmPlanInput, VmRole } from './plan.ts';
import { MAX_SLOTS } from './plan.ts';

/** `.lab/` at the root of this checkout (shared with the reference lab: one name, one lab). */
export { DEFAULT_LABS_DIR } from '../kit/labs-dir.ts';

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


const claims = slotClaims(VM_SLOTS_DIR, MAX_SLOTS);

/** What the lab's inventory names as its origin (the grader refuses it once the slot is claimed anew). */
export const slotOrigin = (slot: number) => labOrigin(claims, 'libvirt', slot);

/** Claims the lowest free slot for `stateDir`; `usable(slot)` vetoes one (its subnets or bridges are taken). */
export async function claimSlot(stateDir: string, usable: (slot: number) => Promise<boolean>): Promise<number> {
  const slot = await claims.claim(stateDir, usable);
  if (slot === undefined) throw new LabError(`no free VM lab slot: all ${MAX_SLOTS} are taken or collide with this machine's routes`);
  return slot;
}

export const slotOwner = claims.owner;
export const releaseSlot = claims.release;
export const slotOwnedBy = claims.ownedBy;

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
/** Every VM lab slot of the machine, as `list` shows them. */
export async function listSlots(): Promise<Array<{ slot: number; owner: string | undefined; stale: boolean }>> {
  return (await claims.list()).map(({ slot, owner }) => ({ slot, owner, stale: owner !== undefined && !existsSync(owner) }));
}

export async function staleSlots(): Promise<StaleSlot[]> {
  const stale: StaleSlot[] = [];
  for (const { slot, owner } of await claims.list()) {
    if (owner === undefined || existsSync(owner)) continue;
    stale.push({ slot, owner, state: await readState(join(VM_SLOTS_DIR, String(slot))).catch(() => undefined) });
  }
  return stale;
}

/** Names of the VM labs in `labsDir` (directories holding a VM lab state file). */
export async function vmLabNames(labsDir: string): Promise<string[]> {
  if (!existsSync(labsDir)) return [];
  const entries = await readdir(labsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && isLabName(e.name) && existsSync(join(labsDir, e.name, STATE_FILE)))
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
