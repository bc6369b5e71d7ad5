// A VM lab's teardown: one lab, every lab of the checkout and stale slots, and the list of them.
import { existsSync } from 'node:fs';
import { downEach } from '../kit/down-each.ts';
import { invalidLabName } from '../kit/lab-name.ts';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, LabUsageError, requireRoot } from './errors.ts';
import { ensureLibvirt, removeDomain, removeNetwork } from './libvirt.ts';
import { isLabName, NETWORK_ROLES, VM_ROLES } from './plan.ts';
import { DEFAULT_LABS_DIR, readState, releaseSlot, listSlots, slotOwnedBy, staleSlots, vmLabNames, type VmLabState } from './state.ts';


export interface VmLabDownOptions {
  labsDir?: string;
  log?: (line: string) => void;
}

export interface VmLabListing {
  labs: Array<{ name: string; stateDir: string; state: VmLabState | undefined }>;
  /** Machine-wide VM lab slots whose state dir is gone (`down --all` cleans them). */
  stale: Awaited<ReturnType<typeof staleSlots>>;
  /** Every machine-wide VM lab slot, as `lab list` shows its own. */
  slots: Awaited<ReturnType<typeof listSlots>>;
}

/** This checkout's VM labs and the machine's stale VM lab slots. */
export async function listVmLabs(labsDir = DEFAULT_LABS_DIR): Promise<VmLabListing> {
  const labs = await Promise.all(
    (await vmLabNames(labsDir)).map(async (name) => {
      const stateDir = join(labsDir, name);
      return { name, stateDir, state: await readState(stateDir).catch(() => undefined) };
    }),
  );
  return { labs, stale: await staleSlots(), slots: await listSlots() };
}

/** Removes what the state names (domains, then networks) when their UUIDs still match. */
export async function teardown(state: VmLabState): Promise<string[]> {
  const domainProblems = await Promise.all(VM_ROLES.map((role) => removeDomain(state.domains[role].name, state.domains[role].uuid)));
  const networkProblems = await Promise.all(
    NETWORK_ROLES.map((role) => removeNetwork(state.networks[role].name, state.networks[role].uuid)),
  );
  return [...domainProblems, ...networkProblems].filter((p): p is string => p !== undefined);
}

/** Destroys and undefines the lab's domains and networks (only those it created), frees its slot, removes `.lab/<name>`. */
export async function vmLabDown(name: string, options: VmLabDownOptions = {}): Promise<void> {
  const { labsDir = DEFAULT_LABS_DIR } = options;
  if (!isLabName(name)) throw new LabUsageError(invalidLabName(name));
  requireRoot();
  const stateDir = join(labsDir, name);
  if (!existsSync(stateDir)) throw new LabError(`no lab '${name}' in ${labsDir}`);
  const state = await readState(stateDir);
  if (!state && existsSync(join(stateDir, 'state.json'))) {
    throw new LabError(`'${name}' is a reference lab, not a VM lab: npm run lab -- down --name ${name}`);
  }
  if (state) {
    await ensureLibvirt();
    const problems = await teardown(state);
    if (problems.length > 0) throw new LabError(`VM lab '${name}' only partly torn down: ${problems.join('; ')}`);
  }
  // Without a state file, `up` was stopped before it defined anything: only the slot claim is left.
  const slot = state?.slot ?? (await slotOwnedBy(stateDir));
  if (slot !== undefined) await releaseSlot(slot, stateDir);
  await rm(stateDir, { recursive: true, force: true });
  options.log?.(`VM lab '${name}' is down${slot === undefined ? '' : ` (slot ${slot})`}`);
}

/**
 * Every VM lab of `labsDir`, then the slots whose state dir is gone (deleted by hand, or by
 * `npm run lab -- down --all`, which does not know VM labs), torn down from the claim's copy of
 * the state. Returns what was removed.
 */
export async function vmLabDownAll(options: VmLabDownOptions = {}): Promise<string[]> {
  const { labsDir = DEFAULT_LABS_DIR } = options;
  requireRoot();
  const { removed, failures } = await downEach(await vmLabNames(labsDir), (name) => vmLabDown(name, options));
  const stale = await staleSlots();
  if (stale.some((claim) => claim.state)) await ensureLibvirt();
  for (const claim of stale) {
    const problems = claim.state ? await teardown(claim.state) : [];
    if (problems.length > 0) {
      failures.push(`slot ${claim.slot} (${claim.owner}): ${problems.join('; ')}`);
      continue;
    }
    await releaseSlot(claim.slot, claim.owner);
    removed.push(`slot ${claim.slot} (${claim.state?.name ?? 'no state'}, state dir gone)`);
    options.log?.(`stale slot ${claim.slot} of ${claim.owner} cleaned`);
  }
  if (failures.length > 0) throw new LabError(`down --all: ${failures.join('; ')}`);
  return removed;
}
