// Programmatic VM lab lifecycle, used by the CLI and by vitest suites (call down() in afterAll).
import { existsSync } from 'node:fs';
import { downEach } from '../kit/down-each.ts';
import { undoFailedUp } from '../kit/failed-up.ts';
import { gradeCommand } from '../kit/grade-command.ts';
import { watchOwner, type OwnerWatch } from '../kit/owner-watch.ts';
import { invalidLabName } from '../kit/lab-name.ts';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootSubnetCollision } from '../kit/root-subnet.ts';
import { tryRun } from '../kit/run.ts';
import { claimName } from '../kit/labs-dir.ts';
import { chooseDomainType, type AccelChoice } from './accel.ts';
import { addressesFromLeases, managementFromLeases } from './addresses.ts';
import { LabAbortedError, LabError, LabExistsError, LabUsageError, requireRoot } from './errors.ts';
import type { RemoteHost } from '../../grader/transport/remote-host.ts';
import { createOverlay, generatePassword, NIC_NAMES_COMMAND, parseNicNames, studentRun, waitForStudent, writeSeed } from './debian-guest.ts';
import { sshOk, waitForSsh, type GuestTarget } from './guest-ssh.ts';
import { DEFAULT_IMAGE_CACHE, ensureDebianImage, ensureImage, writeVmInitrd, type DebianImageManifest, type ImageManifest } from './image.ts';
import { copyClientKey, generateClientKey, generateHostKey } from './keys.ts';
import {
  defineAndStartDomain,
  defineAndStartNetwork,
  domainLeases,
  domainStopped,
  ensureLibvirt,
  libvirtNames,
  removeDomain,
  removeNetwork,
} from './libvirt.ts';
import { domainXml, networkXml } from './libvirt-xml.ts';
import { envFile, inventoryYaml, knownHosts } from './outputs.ts';
import {
  bridgeName,
  DEFAULT_GUEST,
  DEFAULT_LAB_NAME,
  dhcpSteps,
  GUEST_KINDS,
  isGuestKind,
  STUDENT_USER,
  isLabName,
  isNicModel,
  isVmVariant,
  NETWORK_ROLES,
  NIC_MODELS,
  planVmLab,
  slotSubnet,
  studentSteps,
  VM_ROLES,
  VM_VARIANTS,
  type DomainType,
  type GuestKind,
  type NetworkRole,
  type NicModel,
  type VmAddresses,
  type VmLabPlan,
  type VmRole,
  type VmVariant,
} from './plan.ts';
import {
  claimSlot,
  DEFAULT_LABS_DIR,
  readState,
  releaseSlot,
  slotOwnedBy,
  staleSlots,
  stateOf,
  vmLabNames,
  writeState,
  type VmLabState,
} from './state.ts';

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

export interface VmLabDownOptions {
  labsDir?: string;
  log?: (line: string) => void;
}

function validate(name: string, nic: string, variant: string, guest: string): void {
  if (!isGuestKind(guest)) throw new LabUsageError(`unknown guest '${guest}'; valid: ${GUEST_KINDS.join(', ')}`);
  if (!isLabName(name)) throw new LabUsageError(invalidLabName(name));
  if (!isNicModel(nic)) throw new LabUsageError(`unknown NIC model '${nic}'; valid: ${NIC_MODELS.join(', ')}`);
  if (!isVmVariant(variant)) throw new LabUsageError(`unknown variant '${variant}'; valid: ${VM_VARIANTS.join(', ')}`);
}

async function requireTools(guest: GuestKind): Promise<void> {
  const missing: string[] = [];
  const tools = guest === 'debian'
    ? [['ssh-keygen', 'openssh-client'], ['qemu-img', 'qemu-utils'], ['tar', 'tar'], ['debootstrap', 'debootstrap'], ['mkfs.ext4', 'e2fsprogs']]
    : [['ssh', 'openssh-client'], ['ssh-keygen', 'openssh-client'], ['dropbearkey', 'dropbear-bin']];
  for (const [tool, pkg] of tools) {
    if ((await tryRun(['sh', '-c', `command -v ${tool}`])).exitCode !== 0) missing.push(pkg!);
  }
  if (missing.length > 0) throw new LabError(`missing: apt-get install -y ${[...new Set(missing)].join(' ')}`);
}

async function linkExists(name: string): Promise<boolean> {
  return (await tryRun(['ip', 'link', 'show', 'dev', name])).exitCode === 0;
}

async function slotUsable(slot: number): Promise<boolean> {
  for (const network of NETWORK_ROLES) {
    if (await linkExists(bridgeName(slot, network))) return false;
    if ((await rootSubnetCollision(slotSubnet(slot, network))) !== undefined) return false;
  }
  return true;
}

async function checkNamesFree(plan: VmLabPlan): Promise<void> {
  const taken = await libvirtNames();
  for (const role of VM_ROLES) {
    const domain = plan.vms[role].domain;
    if (taken.domains.includes(domain)) {
      throw new LabExistsError(`libvirt already has a domain named ${domain} (another checkout's lab?); choose another --name`);
    }
  }
  for (const network of NETWORK_ROLES) {
    const name = plan.networks[network].name;
    if (taken.networks.includes(name)) {
      throw new LabExistsError(`libvirt already has a network named ${name} (another checkout's lab?); choose another --name`);
    }
  }
}

async function consoleTail(path: string, lines = 12): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Removes what the state names (domains, then networks) when their UUIDs still match. */
async function teardown(state: VmLabState): Promise<string[]> {
  const domainProblems = await Promise.all(VM_ROLES.map((role) => removeDomain(state.domains[role].name, state.domains[role].uuid)));
  const networkProblems = await Promise.all(
    NETWORK_ROLES.map((role) => removeNetwork(state.networks[role].name, state.networks[role].uuid)),
  );
  return [...domainProblems, ...networkProblems].filter((p): p is string => p !== undefined);
}

async function writeKeysAndInitrds(plan: VmLabPlan, baseInitrd: string, clientKey?: string): Promise<Record<VmRole, string>> {
  await Promise.all(VM_ROLES.map((role) => mkdir(plan.vms[role].dir, { recursive: true })));
  const authorizedKey = clientKey ? await copyClientKey(clientKey, plan.paths.privateKey) : await generateClientKey(plan.paths.privateKey, `router-lab-grader@${plan.name}`);
  const hostKeys = {} as Record<VmRole, string>;
  await Promise.all(
    VM_ROLES.map(async (role) => {
      const vm = plan.vms[role];
      hostKeys[role] = await generateHostKey(vm.hostKey);
      await writeVmInitrd(baseInitrd, authorizedKey, vm.hostKey, vm.initrd);
    }),
  );
  return hostKeys;
}

async function startMachines(plan: VmLabPlan, check: () => void): Promise<void> {
  for (const role of NETWORK_ROLES) {
    const network = plan.networks[role];
    const xmlPath = join(plan.stateDir, `network-${role}.xml`);
    await writeFile(xmlPath, networkXml(network));
    check();
    await defineAndStartNetwork(network.name, xmlPath);
  }
  for (const role of VM_ROLES) {
    const vm = plan.vms[role];
    const xmlPath = join(vm.dir, 'domain.xml');
    await writeFile(xmlPath, domainXml(plan, role));
    check();
    await defineAndStartDomain(vm.domain, xmlPath);
  }
}

async function waitForLeases(plan: VmLabPlan, deadline: number, check: () => void, log: (line: string) => void): Promise<VmAddresses> {
  return waitFor(plan, deadline, check, log, (leases) => {
    const result = addressesFromLeases(plan, leases);
    return { value: result.addresses, waitingFor: result.waitingFor };
  });
}

async function waitFor<T>(
  plan: VmLabPlan,
  deadline: number,
  check: () => void,
  log: (line: string) => void,
  pick: (leases: Parameters<typeof addressesFromLeases>[1]) => { value: T | undefined; waitingFor: string[] },
): Promise<T> {
  for (;;) {
    check();
    const [vm1, router, vm3] = await Promise.all(VM_ROLES.map((role) => domainLeases(plan.vms[role].domain)));
    const result = pick({ vm1: vm1!, router: router!, vm3: vm3! });
    if (result.value !== undefined) return result.value;
    for (const role of VM_ROLES) {
      const vm = plan.vms[role];
      if (await domainStopped(vm.domain)) {
        log(`${role} console (${vm.consoleLog}), last lines:\n${await consoleTail(vm.consoleLog)}`);
        throw new LabError(`${role} (${vm.domain}) stopped while booting; its console log is printed above`);
      }
    }
    if (Date.now() > deadline) {
      for (const role of VM_ROLES) log(`${role} console, last lines:\n${await consoleTail(plan.vms[role].consoleLog)}`);
      throw new LabError(`no DHCP lease in time for ${result.waitingFor.join(', ')}; console logs printed above`);
    }
    await sleep(1000);
  }
}

/** The guest's own view must match the leases (a stale lease would send the routes astray). */
async function confirmInternalAddresses(plan: VmLabPlan, addresses: VmAddresses, run: (role: VmRole, command: string) => Promise<string>): Promise<void> {
  const expected: Record<VmRole, string[]> = {
    vm1: [addresses.vm1.internal],
    router: [addresses.router.internal1, addresses.router.internal2],
    vm3: [addresses.vm3.internal],
  };
  await Promise.all(
    VM_ROLES.map(async (role) => {
      const stdout = await run(role, 'ip -4 -o addr show');
      for (const address of expected[role]) {
        if (!stdout.includes(` ${address}/`)) {
          throw new LabError(`${role}: DHCP lease says ${address} but the VM does not have it: ${stdout.trim().split('\n').join(' / ')}`);
        }
      }
    }),
  );
}

/**
 * Debian guests: overlays and seeds, boot until the management NICs lease, log in as `student`
 * with the password, then the student's part as typed: `sudo dhclient -v NIC` on every internal
 * NIC, `sudo sysctl -w net.ipv4.ip_forward=1` on the router, `sudo ip route add ...` on VM1 and VM3.
 */
async function debianUp(
  plan: VmLabPlan,
  check: () => void,
  log: (line: string) => void,
  bootTimeoutMs: number,
  signal: AbortSignal | undefined,
  password = generatePassword(),
): Promise<{ addresses: VmAddresses; bootMs: number; sshMs: number }> {
  const base = plan.image.disk;
  if (base === undefined) throw new LabError('the Debian image has no base disk');
  const hostKeys = {} as Record<VmRole, string>;
  await Promise.all(
    VM_ROLES.map(async (role) => {
      await mkdir(plan.vms[role].dir, { recursive: true });
      await createOverlay(base, plan.vms[role].disk);
      hostKeys[role] = await writeSeed(plan, role, password);
    }),
  );
  // The grader's .env is written first: a student's lab has the password before the VMs boot.
  await writeFile(plan.paths.env, envFile(plan, password), { mode: 0o600 });
  check();
  const bootStarted = Date.now();
  await startMachines(plan, check);
  log(`domains ${VM_ROLES.map((r) => plan.vms[r].domain).join(', ')} started (${plan.domainType}, ${plan.nic} NICs, Debian); waiting for the management DHCP leases`);
  const deadline = bootStarted + bootTimeoutMs;
  const management = await waitFor(plan, deadline, check, log, (leases) => {
    const result = managementFromLeases(plan, leases);
    return { value: result.management, waitingFor: result.waitingFor };
  });
  const bootMs = Date.now() - bootStarted;
  log(`management leases after ${(bootMs / 1000).toFixed(1)} s: vm1 ${management.vm1}, router ${management.router}, vm3 ${management.vm3}`);
  await writeFile(plan.paths.knownHosts, VM_ROLES.map((role) => `${management[role]} ${hostKeys[role]}\n`).join(''));

  const sshStarted = Date.now();
  const hosts = {} as Record<VmRole, RemoteHost>;
  try {
    await Promise.all(
      VM_ROLES.map(async (role) => {
        const login = { address: management[role], password, knownHostsPath: plan.paths.knownHosts };
        hosts[role] = await waitForStudent(role, login, deadline, `${role} (${plan.vms[role].domain})`, signal);
      }),
    );
    const sshMs = Date.now() - sshStarted;
    log(`logged in as ${STUDENT_USER} on all three after ${(sshMs / 1000).toFixed(1)} s`);
    const what = (role: VmRole): string => `${role} (${plan.vms[role].domain})`;
    const names = {} as Record<VmRole, Record<string, string>>;
    await Promise.all(VM_ROLES.map(async (role) => (names[role] = parseNicNames(await studentRun(hosts[role], NIC_NAMES_COMMAND, password, what(role))))));
    const dhcp = dhcpSteps(plan, names);
    await Promise.all(
      VM_ROLES.map(async (role) => {
        for (const step of dhcp.filter((s) => s.role === role)) {
          check();
          log(`${role}: ${step.command}`);
          await studentRun(hosts[role], step.command, password, what(role));
        }
      }),
    );
    const addresses = await waitForLeases(plan, Date.now() + 60_000, check, log);
    await confirmInternalAddresses(plan, addresses, (role, command) => studentRun(hosts[role], command, password, what(role)));
    for (const step of studentSteps(plan, addresses)) {
      check();
      log(`${step.role}: ${step.command}`);
      await studentRun(hosts[step.role], step.command, password, what(step.role));
    }
    await writeFile(plan.paths.inventory, inventoryYaml(plan, addresses));
    await writeFile(plan.paths.knownHosts, knownHosts(addresses, hostKeys));
    return { addresses, bootMs, sshMs };
  } finally {
    await Promise.allSettled(Object.values(hosts).map((host) => host.close()));
  }
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
    const built: Built = guest === 'debian' ? await ensureDebianImage(cache) : await ensureImage(cache);
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
    const hostKeys = await writeKeysAndInitrds(plan, image.initrd, options.clientKey);
    check();
    const bootStarted = Date.now();
    await startMachines(plan, check);
    log(`domains ${VM_ROLES.map((r) => plan.vms[r].domain).join(', ')} started (${plan.domainType}, ${nic} NICs); waiting for DHCP leases`);
    const deadline = bootStarted + (options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS);
    const addresses = await waitForLeases(plan, deadline, check, log);
    const bootMs = Date.now() - bootStarted;
    log(`leases after ${(bootMs / 1000).toFixed(1)} s: vm1 ${addresses.vm1.management}, router ${addresses.router.management}, vm3 ${addresses.vm3.management}`);

    await writeFile(plan.paths.knownHosts, knownHosts(addresses, hostKeys));
    const targets = {} as Record<VmRole, GuestTarget>;
    for (const role of VM_ROLES) {
      targets[role] = { address: addresses[role].management, keyPath: plan.paths.privateKey, knownHostsPath: plan.paths.knownHosts };
    }
    const sshStarted = Date.now();
    await Promise.all(VM_ROLES.map((role) => waitForSsh(targets[role], deadline, `${role} (${plan.vms[role].domain})`, signal)));
    const sshMs = Date.now() - sshStarted;
    check();
    await confirmInternalAddresses(plan, addresses, async (role, command) => (await sshOk(targets[role], command, `${role} (${plan.vms[role].domain})`)).stdout);

    for (const step of studentSteps(plan, addresses)) {
      check();
      log(`${step.role}: ${step.command}`);
      await sshOk(targets[step.role], step.command, `${step.role} (${plan.vms[step.role].domain})`);
    }

    await writeFile(plan.paths.inventory, inventoryYaml(plan, addresses));
    await writeFile(plan.paths.env, envFile(plan));
    await writeState({ ...state, phase: 'up' });
    const timings = { imageMs, bootMs, sshMs, totalMs: Date.now() - started };
    return handleFor(plan, addresses, accel, { dir: image.dir, manifest: image.manifest }, timings, labsDir, watch);
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
