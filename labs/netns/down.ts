// Tearing reference labs down: one lab, every lab of the checkout and what crashed labs left, and
// the list of them.
import { downEach } from '../kit/down-each.ts';
import { invalidLabName } from '../kit/lab-name.ts';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, LabUsageError } from '../kit/errors.ts';
import { requireRoot } from './errors.ts';
import { destroyNetwork, existingNamespaces, networkNames } from './namespaces.ts';
import { isLabName, NAMESPACE_PREFIX, namespaceName, planLab, rootLinkName, VM_ROLES } from './plan.ts';
import { stopSshd } from './sshd.ts';
import { DEFAULT_LABS_DIR, forgetSlot, labNames, listSlots, readState, releaseSlot, slotOwnedBy, slotOwner, type LabState } from './state.ts';

export interface LabDownOptions {
  labsDir?: string;
  log?: (line: string) => void;
}

// Removes the lab's processes, namespaces, root-namespace veth, slot claim and state dir.
export async function labDown(name: string, options: LabDownOptions = {}): Promise<void> {
  const { labsDir = DEFAULT_LABS_DIR } = options;
  if (!isLabName(name)) {
    throw new LabUsageError(invalidLabName(name));
  }
  requireRoot();
  const stateDir = join(labsDir, name);
  if (!existsSync(stateDir)) throw new LabError(`no lab '${name}' in ${labsDir} (see npm run lab -- list)`);
  const state = await readState(stateDir);
  // A state file is written right after the slot is claimed; without it, look the claim up.
  const slot = state?.slot ?? (await slotOwnedBy(stateDir));
  if (slot !== undefined) {
    const plan = planLab({ name, slot, variant: state?.variant ?? 'good', stateDir });
    await Promise.all(VM_ROLES.map((role) => stopSshd(plan.sshd[role])));
    const problems = await destroyNetwork(state ?? networkNames(plan));
    if (problems.length > 0) throw new LabError(`lab '${name}' only partly torn down: ${problems.join('; ')}`);
    await releaseSlot(slot, stateDir);
  }
  await rm(stateDir, { recursive: true, force: true });
  options.log?.(`lab '${name}' is down${slot === undefined ? '' : ` (slot ${slot})`}`);
}

export interface LabSummary {
  name: string;
  stateDir: string;
  state: LabState | undefined;
}

export interface LabListing {
  labs: LabSummary[];
  /** Machine-wide slot claims, including other checkouts' labs. */
  slots: Awaited<ReturnType<typeof listSlots>>;
  /** `rlg-N-*` namespaces whose slot nobody claims (left by a crash). */
  orphanNamespaces: string[];
}

export async function listLabs(labsDir = DEFAULT_LABS_DIR): Promise<LabListing> {
  const labs: LabSummary[] = [];
  for (const name of await labNames(labsDir)) {
    const stateDir = join(labsDir, name);
    labs.push({ name, stateDir, state: await readState(stateDir).catch(() => undefined) });
  }
  const slots = await listSlots();
  const claimed = new Set(slots.map((claim) => claim.slot));
  const pattern = new RegExp(`^${NAMESPACE_PREFIX}-(\\d+)-(hv|vm1|router|vm3)$`);
  const orphanNamespaces = (await existingNamespaces().catch(() => [])).filter((ns) => {
    const match = pattern.exec(ns);
    return match !== null && !claimed.has(Number(match[1]));
  });
  return { labs, slots, orphanNamespaces };
}

/** Every lab of `labsDir`, then stale slots (owner state dir gone) and orphan namespaces. */
export async function labDownAll(options: LabDownOptions = {}): Promise<string[]> {
  const { labsDir = DEFAULT_LABS_DIR } = options;
  requireRoot();
  const { removed, failures } = await downEach(await labNames(labsDir), (name) => labDown(name, options));
  const listing = await listLabs(labsDir);
  const stale = listing.slots.filter((claim) => claim.stale);
  const orphanSlots = new Set(listing.orphanNamespaces.map((ns) => Number(ns.split('-')[1])));
  for (const slot of [...stale.map((claim) => claim.slot), ...orphanSlots]) {
    const names = {
      namespaces: (['vm1', 'router', 'vm3', 'hv'] as const).map((machine) => namespaceName(slot, machine)),
      rootLink: rootLinkName(slot),
    };
    const problems = await destroyNetwork(names);
    failures.push(...problems);
    // Forget a stale claim only if it is still the one we saw (an orphan slot has no claim to forget).
    const claim = stale.find((c) => c.slot === slot);
    if (claim && problems.length === 0 && (await slotOwner(slot)) === claim.owner) await forgetSlot(slot);
    if (problems.length === 0) {
      removed.push(`slot ${slot} (stale)`);
      options.log?.(`stale slot ${slot} cleaned`);
    }
  }
  if (failures.length > 0) throw new LabError(`down --all: ${failures.join('; ')}`);
  return removed;
}
