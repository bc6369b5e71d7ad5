// Programmatic lab lifecycle, used by the CLI and by vitest suites (destroy in afterAll).
import { randomBytes } from 'node:crypto';
import { undoFailedUp } from '../kit/failed-up.ts';
import { gradeCommand } from '../kit/grade-command.ts';
import { watchOwner, type OwnerWatch } from '../kit/owner-watch.ts';
import { invalidLabName } from '../kit/lab-name.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabAbortedError, LabError, LabUsageError } from '../kit/errors.ts';
import { requireRoot } from './errors.ts';
import { buildNetwork, destroyNetwork, existingNamespaces, linkExists, networkNames } from './namespaces.ts';
import { claimName } from '../kit/labs-dir.ts';
import { rootSubnetCollision } from '../kit/root-subnet.ts';
import { envFile, inventoryYaml, knownHosts } from './outputs.ts';
import { OPTIONAL_PROGRAMS, optionalPrograms } from './programs.ts';
import { DEFAULT_LAB_NAME, isLabName, managementSubnet, NAMESPACE_PREFIX, planLab, rootLinkName, VM_ROLES, type LabAddresses, type LabPlan, type VmRole } from './plan.ts';
import { describeCommand, tryRun } from '../kit/run.ts';
import { mountedOverlays } from './overlays.ts';
import { findSshd, generateKey, prepareOverlays, publicKeyOf, sshdConfig, startSshd, stopSshd } from './sshd.ts';
import { claimSlot, DEFAULT_LABS_DIR, releaseSlot, slotOrigin, writeState, type LabState } from './state.ts';
import { isVariant, VARIANTS, type Variant } from './variants.ts';

import { labDown } from './down.ts';
import type { StudentAddressing } from '../kit/student-plan.ts';

export { labDown, labDownAll, listLabs, type LabDownOptions, type LabListing, type LabSummary } from './down.ts';
export { DEFAULT_LAB_NAME, DEFAULT_LABS_DIR, VARIANTS };

/** What a lab's owner watch runs once the process that brought it up is gone. */
const REAP_SCRIPT = fileURLToPath(new URL('./reap.ts', import.meta.url));
export type { LabAddresses, LabPlan, Variant };

export interface LabUpOptions {
  /** `[a-z0-9-]{1,32}`. @default 'demo' */
  name?: string;
  /** @default 'good' */
  variant?: Variant | string;
  /** Where `<name>/` goes. @default `.lab/` of this checkout */
  labsDir?: string;
  /** Aborting stops `up` between steps; what was built is torn down and LabAbortedError thrown. */
  signal?: AbortSignal;
  /** Progress lines. @default silent */
  log?: (line: string) => void;
  /** Also log every command run. @default false */
  verbose?: boolean;
  /** A student's addressing plan to build the lab on. @default the slot's usual networks */
  addressing?: StudentAddressing;
}

export interface LabHandle {
  name: string;
  variant: Variant;
  slot: number;
  stateDir: string;
  inventoryPath: string;
  envPath: string;
  keyPath: string;
  knownHostsPath: string;
  addresses: LabAddresses;
  namespaces: LabPlan['namespaces'];
  subnets: LabPlan['subnets'];
  plan: LabPlan;
  /** `npm run grade -- --host NAME --inventory PATH` (path relative to the checkout). */
  gradeCommand: string;
  /** Tears the lab down; further calls do nothing. */
  down(): Promise<void>;
}


function validate(name: string, variant: string): asserts variant is Variant {
  if (!isLabName(name)) {
    throw new LabUsageError(invalidLabName(name));
  }
  if (!isVariant(variant)) {
    throw new LabUsageError(`unknown variant '${variant}'; valid: ${VARIANTS.join(', ')}`);
  }
}

// What the variant's steps run beyond iproute2 (nft, dnsmasq) must be installed.
async function requirePrograms(name: string, variant: Variant, labsDir: string): Promise<void> {
  const { steps } = planLab({ name, slot: 0, variant, stateDir: join(labsDir, name) });
  for (const program of optionalPrograms(steps)) {
    if ((await tryRun(['sh', '-c', `command -v ${program}`])).exitCode !== 0) {
      throw new LabError(`variant ${variant} needs ${program}: apt-get install -y ${OPTIONAL_PROGRAMS[program]}`);
    }
  }
}

async function slotUsable(slot: number): Promise<boolean> {
  const prefix = `${NAMESPACE_PREFIX}-${slot}-`;
  if ((await existingNamespaces()).some((ns) => ns.startsWith(prefix))) return false;
  if (await linkExists(rootLinkName(slot))) return false;
  return (await rootSubnetCollision(managementSubnet(slot))) === undefined;
}

function handleFor(plan: LabPlan, labsDir: string, watch: OwnerWatch): LabHandle {
  let downed: Promise<void> | undefined;
  return {
    name: plan.name,
    variant: plan.variant,
    slot: plan.slot,
    stateDir: plan.stateDir,
    inventoryPath: plan.paths.inventory,
    envPath: plan.paths.env,
    keyPath: plan.paths.privateKey,
    knownHostsPath: plan.paths.knownHosts,
    addresses: plan.addresses,
    namespaces: plan.namespaces,
    subnets: plan.subnets,
    plan,
    gradeCommand: gradeCommand(plan.name, plan.paths.inventory),
    down: () => {
      watch.stop();
      return (downed ??= labDown(plan.name, { labsDir }));
    },
  };
}

async function writeSshFiles(plan: LabPlan): Promise<void> {
  await Promise.all(VM_ROLES.map((role) => mkdir(plan.sshd[role].dir, { recursive: true })));
  await Promise.all([
    generateKey(plan.paths.privateKey, `router-lab-grader@${plan.name}`),
    ...VM_ROLES.map((role) => generateKey(plan.sshd[role].hostKeyPath, `${role}@${plan.name}`)),
  ]);
  await writeFile(plan.paths.authorizedKeys, `${await publicKeyOf(plan.paths.publicKey)}\n`);
  for (const role of VM_ROLES) {
    await writeFile(plan.sshd[role].configPath, sshdConfig(plan.sshd[role], plan.paths.authorizedKeys));
    await writeFile(join(dirname(plan.sshd[role].configPath), 'machine-id'), `${randomBytes(16).toString('hex')}\n`);
  }
  for (const role of VM_ROLES) await prepareOverlays(mountedOverlays(plan.sshd[role]));
}

async function writeGraderFiles(plan: LabPlan): Promise<void> {
  const hostKeys = {} as Record<VmRole, string>;
  for (const role of VM_ROLES) hostKeys[role] = await publicKeyOf(`${plan.sshd[role].hostKeyPath}.pub`);
  await writeFile(plan.paths.knownHosts, knownHosts(plan, hostKeys));
  await writeFile(plan.paths.inventory, inventoryYaml(plan, await slotOrigin(plan.slot)));
  await writeFile(plan.paths.env, envFile(plan));
}

// Builds a lab; on any failure or abort, removes everything it built before rethrowing.
export async function labUp(options: LabUpOptions = {}): Promise<LabHandle> {
  const { name = DEFAULT_LAB_NAME, variant = 'good', labsDir = DEFAULT_LABS_DIR, signal } = options;
  const log = options.log ?? (() => {});
  validate(name, variant);
  requireRoot();
  const sshdPath = await findSshd();
  await requirePrograms(name, variant, labsDir);
  const checkAbort = (): void => {
    if (signal?.aborted) throw new LabAbortedError(`lab '${name}': interrupted`);
  };

  const stateDir = await claimName(labsDir, name);
  const watch = watchOwner(stateDir, REAP_SCRIPT, [name, labsDir]);
  let plan: LabPlan | undefined;
  let slot: number | undefined;
  try {
    slot = await claimSlot(stateDir, slotUsable);
    plan = planLab({ name, slot, variant, stateDir, ...(options.addressing ? { addressing: options.addressing } : {}) });
    const state: LabState = {
      name,
      slot,
      variant,
      stateDir,
      phase: 'building',
      createdAt: new Date().toISOString(),
      ...networkNames(plan),
    };
    await writeState(state);
    log(`slot ${slot}: management ${plan.subnets.management}, namespaces ${NAMESPACE_PREFIX}-${slot}-{hv,vm1,router,vm3}`);
    checkAbort();
    await writeSshFiles(plan);
    checkAbort();
    await buildNetwork(plan, signal, options.verbose ? (argv) => log(`+ ${describeCommand(argv)}`) : undefined);
    checkAbort();
    const started = VM_ROLES.filter((role) => plan!.sshd[role].start);
    await Promise.all(started.map((role) => startSshd(plan!.sshd[role], sshdPath)));
    checkAbort();
    await writeGraderFiles(plan);
    await writeState({ ...state, phase: 'up' });
    return handleFor(plan, labsDir, watch);
  } catch (error) {
    watch.stop();
    const built = plan;
    return undoFailedUp({
      what: `lab '${name}'`,
      error,
      signal,
      log,
      stateDir,
      undo: async () => {
        if (!built) return [];
        await Promise.all(VM_ROLES.map((role) => stopSshd(built.sshd[role])));
        return destroyNetwork(networkNames(built));
      },
      releaseSlot: async () => {
        if (slot !== undefined) await releaseSlot(slot, stateDir);
      },
    });
  }
}
