// Programmatic VM lab lifecycle, used by the CLI and by vitest suites (call down() in afterAll).
import { existsSync } from 'node:fs';
import { undoFailedUp } from '../kit/failed-up.ts';
import { gradeCommand } from '../kit/grade-command.ts';
import { watchOwner, type OwnerWatch } from '../kit/owner-watch.ts';
import { invalidLabName } from '../kit/lab-name.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimName } from '../kit/labs-dir.ts';
import { chooseDomainType, type AccelChoice } from './accel.ts';
import { LabAbortedError, LabExistsError, LabUsageError, requireRoot } from './errors.ts';
import { DEFAULT_IMAGE_CACHE, ensureDebianImage, ensureImage, type DebianImageManifest, type ImageManifest } from './image.ts';
import { ensureLibvirt } from './libvirt.ts';
import { DEFAULT_GUEST, DEFAULT_LAB_NAME, GUEST_KINDS, isGuestKind, STUDENT_USER, isLabName, isNicModel, isVmVariant, NIC_MODELS, planVmLab, VM_VARIANTS, type DomainType, type GuestKind, type NetworkRole, type NicModel, type VmAddresses, type VmLabPlan, type VmRole, type VmVariant } from './plan.ts';
import { claimSlot, DEFAULT_LABS_DIR, releaseSlot, stateOf, writeState, type VmLabState } from './state.ts';

import { busyboxUp, debianUp } from './guest-up.ts';
import { checkNamesFree, requireTools, slotUsable } from './boot.ts';
import { teardown, vmLabDown } from './down.ts';

export { listVmLabs, vmLabDown, vmLabDownAll, type VmLabDownOptions, type VmLabListing } from './down.ts';
export { DEFAULT_GUEST, DEFAULT_LAB_NAME, DEFAULT_LABS_DIR, GUEST_KINDS, NIC_MODELS, VM_VARIANTS };

/** What a lab's owner watch runs once the process that brought it up is gone. */
const REAP_SCRIPT = fileURLToPath(new URL('./reap.ts', import.meta.url));
export type { GuestKind, NicModel, VmAddresses, VmLabPlan, VmRole, VmVariant };

/** How long the three VMs get to boot and lease every NIC (TCG on 2 cores takes ~15-40 s). */
export const DEFAULT_BOOT_TIMEOUT_MS = 240_000;
/**
 * Debian guests boot systemd under TCG: about 30 s on an idle 2-core machine, over 150 s to
 * systemd's first unit when other work loads it (measured at a load average of 20-36).
 */
export const DEBIAN_BOOT_TIMEOUT_MS = 900_000;

export interface VmLabUpOptions {
  /** `[a-z0-9-]{1,32}`. @default 'vmdemo' */
  name?: string;
  /** NIC model of every NIC of every VM. @default 'virtio' */
  nic?: NicModel | string;
  /** @default 'good' */
  variant?: VmVariant | string;
  /** What the VMs run. @default DEFAULT_GUEST ('debian') */
  guest?: GuestKind | string;
  /** Where `<name>/` goes. @default `.lab/` of this checkout */
  labsDir?: string;
  /** Where the base guest image is cached. @default `.cache/vm-image/` of this checkout */
  imageCacheDir?: string;
  /** @default DEFAULT_BOOT_TIMEOUT_MS (busybox), DEBIAN_BOOT_TIMEOUT_MS (debian) */
  bootTimeoutMs?: number;
  /** Aborting stops `up`; what was built is torn down and LabAbortedError thrown. */
  signal?: AbortSignal;
  /** Progress lines. @default silent */
  log?: (line: string) => void;
  /** Domain names instead of `<name>-vm1`, `<name>-router`, `<name>-vm3`. */
  domainNames?: Record<VmRole, string>;
  /** An existing client key pair (`KEY`, `KEY.pub`) the VMs accept instead of a new one: one key for every lab of a server (busybox). */
  clientKey?: string;
  /** `student`'s password instead of a new one: one password for every lab of a server (debian). */
  password?: string;
}

export interface VmLabTimings {
  /** Finding (or building) the cached guest image. */
  imageMs: number;
  /** Define and start to every NIC leased. */
  bootMs: number;
  /** Leases to SSH answering on all three VMs. */
  sshMs: number;
  totalMs: number;
}

export interface VmLabHandle {
  name: string;
  nic: NicModel;
  variant: VmVariant;
  guest: GuestKind;
  /** The account the grader logs in with: `student` (password, in .env) on debian, `root` (key) on busybox. */
  user: string;
  /** `qemu` (TCG) or `kvm`. */
  domainType: DomainType;
  accelReason: string;
  slot: number;
  stateDir: string;
  inventoryPath: string;
  envPath: string;
  knownHostsPath: string;
  keyPath: string;
  /** libvirt domain names. */
  domains: Record<VmRole, string>;
  networks: Record<NetworkRole, { name: string; bridge: string; subnet: string; address: string }>;
  addresses: VmAddresses;
  /** Each VM's serial console, logged by QEMU. */
  consoleLogs: Record<VmRole, string>;
  image: { dir: string; manifest: ImageManifest | DebianImageManifest };
  plan: VmLabPlan;
  timings: VmLabTimings;
  /** `npm run grade -- --host NAME --inventory PATH` (path relative to the current directory). */
  gradeCommand: string;
  /** Tears the lab down; further calls do nothing. */
  down(): Promise<void>;
}


function validate(name: string, nic: string, variant: string, guest: string): void {
  if (!isGuestKind(guest)) throw new LabUsageError(`unknown guest '${guest}'; valid: ${GUEST_KINDS.join(', ')}`);
  if (!isLabName(name)) throw new LabUsageError(invalidLabName(name));
  if (!isNicModel(nic)) throw new LabUsageError(`unknown NIC model '${nic}'; valid: ${NIC_MODELS.join(', ')}`);
  if (!isVmVariant(variant)) throw new LabUsageError(`unknown variant '${variant}'; valid: ${VM_VARIANTS.join(', ')}`);
}

function handleFor(
  plan: VmLabPlan,
  addresses: VmAddresses,
  accel: AccelChoice,
  image: { dir: string; manifest: ImageManifest | DebianImageManifest },
  timings: VmLabTimings,
  labsDir: string,
  watch: OwnerWatch,
): VmLabHandle {
  let downed: Promise<void> | undefined;
  const byRole = <T>(pick: (role: VmRole) => T): Record<VmRole, T> => ({ vm1: pick('vm1'), router: pick('router'), vm3: pick('vm3') });
  const network = (role: NetworkRole): VmLabHandle['networks'][NetworkRole] => {
    const { name, bridge, subnet, address } = plan.networks[role];
    return { name, bridge, subnet, address };
  };
  return {
    name: plan.name,
    nic: plan.nic,
    variant: plan.variant,
    guest: plan.guest,
    user: plan.guest === 'debian' ? STUDENT_USER : 'root',
    domainType: plan.domainType,
    accelReason: accel.reason,
    slot: plan.slot,
    stateDir: plan.stateDir,
    inventoryPath: plan.paths.inventory,
    envPath: plan.paths.env,
    knownHostsPath: plan.paths.knownHosts,
    keyPath: plan.paths.privateKey,
    domains: byRole((role) => plan.vms[role].domain),
    networks: { management: network('management'), internal1: network('internal1'), internal2: network('internal2') },
    addresses,
    consoleLogs: byRole((role) => plan.vms[role].consoleLog),
    image,
    plan,
    timings,
    gradeCommand: gradeCommand(plan.name, plan.paths.inventory),
    down: () => {
      watch.stop();
      return (downed ??= vmLabDown(plan.name, { labsDir }));
    },
  };
}

/**
 * Builds a VM lab: guest image (cached), libvirtd (started if needed), three isolated networks,
 * three VMs; then does the student's part over SSH and writes inventory.yaml, .env, known_hosts.
 * On any failure or abort, removes everything it built before rethrowing.
 */
export async function vmLabUp(options: VmLabUpOptions = {}): Promise<VmLabHandle> {
  const { name = DEFAULT_LAB_NAME, nic = 'virtio', variant = 'good', guest = DEFAULT_GUEST, labsDir = DEFAULT_LABS_DIR, signal } = options;
  const log = options.log ?? (() => {});
  validate(name, nic, variant, guest);
  requireRoot();
  await requireTools(guest as GuestKind);
  const check = (): void => {
    if (signal?.aborted) throw new LabAbortedError(`VM lab '${name}': interrupted`);
  };
  const started = Date.now();

  if (existsSync(join(labsDir, name))) {
    throw new LabExistsError(`lab '${name}' already exists (${join(labsDir, name)}); tear it down first: npm run vmlab -- down --name ${name}`);
  }
  // Nothing of the lab exists yet: a failure needs no teardown, but Ctrl-C (which also kills the
  // build script or virsh it is waiting for) must still read as an interruption.
  let imageMs = 0;
  type Built = Awaited<ReturnType<typeof ensureImage>> | Awaited<ReturnType<typeof ensureDebianImage>>;
  const prepare = async (): Promise<[Built, AccelChoice]> => {
    const cache = options.imageCacheDir ?? DEFAULT_IMAGE_CACHE;
    if (guest === 'debian') log('guest image: Debian 12 (debootstrap; the first build takes minutes, then it is cached)');
    const built: Built = guest === 'debian' ? await ensureDebianImage(cache, log) : await ensureImage(cache, log);
    imageMs = Date.now() - started;
    log(`guest image ${built.dir} (kernel ${built.manifest.kernelRelease}, initrd ${(built.manifest.initrdBytes / 2 ** 20).toFixed(1)} MiB)`);
    check();
    for (const line of await ensureLibvirt()) log(`libvirt: ${line}`);
    const bootKernel = 'bootKernel' in built.manifest ? built.manifest.bootKernel : 'vmlinuz';
    const choice = await chooseDomainType(built.kernel, `${built.manifest.kernelRelease} ${bootKernel}`);
    log(`accelerator: ${choice.reason}`);
    check();
    return [built, choice];
  };
  const [image, accel] = await prepare().catch((error: unknown) => {
    check();
    throw error;
  });

  const stateDir = await claimName(labsDir, name, 'vmlab');
  const watch = watchOwner(stateDir, REAP_SCRIPT, [name, labsDir]);
  let slot: number | undefined;
  let state: VmLabState | undefined;
  try {
    slot = await claimSlot(stateDir, slotUsable);
    const createdAt = new Date().toISOString();
    const plan = planVmLab({
      name, slot, nic: nic as NicModel, variant: variant as VmVariant, guest: guest as GuestKind, domainType: accel.domainType, stateDir, createdAt,
      image: { dir: image.dir, key: image.key, kernel: image.kernel, initrd: image.initrd, ...(image.disk ? { disk: image.disk } : {}) },
      ...(options.domainNames ? { domainNames: options.domainNames } : {}),
    });
    await checkNamesFree(plan);
    state = stateOf(plan, createdAt, 'building');
    await writeState(state);
    const { management, internal1, internal2 } = plan.networks;
    log(`slot ${slot}: management ${management.subnet}, internal1 ${internal1.subnet}, internal2 ${internal2.subnet}`);
    check();

    if (plan.guest === 'debian') {
      const brought = await debianUp(plan, check, log, options.bootTimeoutMs ?? DEBIAN_BOOT_TIMEOUT_MS, signal, options.password);
      await writeState({ ...state, phase: 'up' });
      const timings = { imageMs, bootMs: brought.bootMs, sshMs: brought.sshMs, totalMs: Date.now() - started };
      return handleFor(plan, brought.addresses, accel, { dir: image.dir, manifest: image.manifest }, timings, labsDir, watch);
    }
    const brought = await busyboxUp(plan, image.initrd, check, log, options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS, signal, options.clientKey);
    await writeState({ ...state, phase: 'up' });
    const timings = { imageMs, bootMs: brought.bootMs, sshMs: brought.sshMs, totalMs: Date.now() - started };
    return handleFor(plan, brought.addresses, accel, { dir: image.dir, manifest: image.manifest }, timings, labsDir, watch);
  } catch (error) {
    watch.stop();
    const built = state;
    return undoFailedUp({
      what: `VM lab '${name}'`,
      error,
      signal,
      log,
      stateDir,
      undo: async () => (built ? teardown(built) : []),
      releaseSlot: async () => {
        if (slot !== undefined) await releaseSlot(slot, stateDir);
      },
    });
  }
}

