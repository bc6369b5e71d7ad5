// The three contenders, each graded on the same lab with the same checks: the grader's CLI, the
// hand-written shell script and the Testinfra suite. Each run yields its measurement and its
// verdicts in one vocabulary (`id host` -> pass/fail), so the three can be compared.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { LabReport } from '../grader/core/lab-report.ts';
import { measure, type Measurement } from './measure.ts';
import { processCpuMs } from './lab-side.ts';

const execFileP = promisify(execFile);

export const REPO = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const SHELL_GRADER = join(REPO, 'bench', 'peers', 'shell-grader.sh');
const TESTINFRA_SUITE = join(REPO, 'bench', 'peers', 'test_lab.py');
/** Debian's python3, where python3-testinfra installs (not a pyenv or venv one). */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export type ContenderId = 'grader' | 'grader-tsx' | 'grader-encrypted-key' | 'shell' | 'testinfra';
/**
 * The three compared (grader, shell, testinfra), then, measured beside them as probes:
 * `grader-tsx` (the same CLI through tsx, as it shipped before) and `grader-encrypted-key` (the
 * same CLI with the lab's key encrypted).
 */
export const SERIES: ContenderId[] = ['grader', 'shell', 'testinfra', 'grader-tsx', 'grader-encrypted-key'];
/** The three compared, without the probes. */
export const CONTENDERS: ContenderId[] = SERIES.slice(0, 3);
export const CONTENDER_LABELS: Record<ContenderId, string> = {
  grader: 'router-lab-grader (CLI as shipped: `npm run grade`, precompiled)',
  'grader-tsx': 'router-lab-grader through tsx (TypeScript transpiled at every start; a probe, how it shipped before)',
  'grader-encrypted-key': "router-lab-grader with the lab's key encrypted (ssh-keygen's default bcrypt KDF; a probe)",
  shell: 'shell script (OpenSSH, one ssh per check)',
  testinfra: 'Testinfra (pytest, ssh backend)',
};

export interface LabRef {
  name: string;
  inventoryPath: string;
  keyPath: string;
  knownHostsPath: string;
  management: { vm1: string; router: string; vm3: string };
}

export interface ContenderRun {
  contender: ContenderId;
  measurement: Measurement;
  /** CPU of client processes the measured command left behind (Testinfra's ControlMasters), ms. */
  detachedCpuMs: number;
  /** `id host` -> pass | fail, in the grader's vocabulary. */
  verdicts: Record<string, string>;
  /** `id host` -> what the contender said about a result that did not pass. */
  details: Record<string, string>;
  /** The grader's JSON report (grader only). */
  report?: LabReport;
}

export interface BenchContext {
  checksPath: string;
  iperfSeconds: number;
  /** Scratch directory for reports, ssh configs, control sockets. */
  scratch: string;
  /** The single lab's inventory with its key encrypted, for `grader-encrypted-key`. */
  encryptedKey?: EncryptedKeyLab;
}

/** An inventory naming an encrypted copy of a lab's key, and the environment holding its passphrase. */
interface EncryptedKeyLab {
  inventoryPath: string;
  env: Record<string, string>;
  keyPath: string;
  passphrase: string;
}

const BENCH_PASSPHRASE_VARIABLE = 'BENCH_KEY_PASSPHRASE';

/** `key`, encrypted as ssh-keygen does by default (bcrypt KDF, 16 rounds), copied to `copy`. */
export async function encryptedCopy(key: string, copy: string, passphrase: string): Promise<void> {
  await mkdir(dirname(copy), { recursive: true });
  await copyFile(key, copy);
  await chmod(copy, 0o600);
  await execFileP('ssh-keygen', ['-q', '-p', '-P', '', '-N', passphrase, '-f', copy]);
}

/**
 * The lab's inventory and `.env`, copied into `dir`, its `credentials: { keyFile }` pointing to an
 * encrypted copy of the key with the passphrase in BENCH_KEY_PASSPHRASE: everything else as graded.
 */
export async function withEncryptedKey(lab: LabRef, dir: string): Promise<EncryptedKeyLab> {
  const passphrase = randomBytes(12).toString('base64url');
  const keyPath = join(dir, 'id_ed25519');
  await encryptedCopy(lab.keyPath, keyPath, passphrase);
  const inventory = await readFile(lab.inventoryPath, 'utf8');
  const pointed = inventory.replace(/credentials: \{ keyFile: [^}]*\}/, `credentials: { keyFile: ${JSON.stringify(keyPath)}, passphraseEnv: ${BENCH_PASSPHRASE_VARIABLE} }`);
  if (pointed === inventory) throw new Error(`${lab.inventoryPath} names no credentials: { keyFile } to encrypt`);
  const inventoryPath = join(dir, 'inventory.yaml');
  await writeFile(inventoryPath, pointed);
  await copyFile(join(dirname(lab.inventoryPath), '.env'), join(dir, '.env'));
  return { inventoryPath, env: { [BENCH_PASSPHRASE_VARIABLE]: passphrase }, keyPath, passphrase };
}

const CLEAN_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1' };

/**
 * The grader's CLI as `npm run grade -- ARGS` runs it: `node bin/grade.mjs ARGS`, the precompiled
 * bundle (rebuilt first if the sources changed: call buildGrader() before measuring). With `tsx`:
 * `node --import tsx grader/cli.ts ARGS`, the TypeScript sources transpiled at start.
 */
export function graderArgv(args: string[], nodeFlags: string[] = [], { tsx = false } = {}): string[] {
  if (tsx) return [process.execPath, ...nodeFlags, '--import', 'tsx', join(REPO, 'grader', 'cli.ts'), ...args];
  return [process.execPath, ...nodeFlags, join(REPO, 'bin', 'grade.mjs'), ...args];
}

/** `npm run build`: dist/grader-cli.mjs fresh, so that no measured run of the launcher rebuilds it. */
export async function buildGrader(): Promise<void> {
  await execFileP(process.execPath, [join(REPO, 'scripts', 'build-cli.mjs')], { cwd: REPO, env: { ...CLEAN_ENV } });
}

export function graderEnv(): NodeJS.ProcessEnv {
  return { ...CLEAN_ENV };
}

interface GraderRun {
  contender: 'grader' | 'grader-tsx' | 'grader-encrypted-key';
  nodeFlags?: string[];
}

async function runGrader(lab: LabRef, ctx: BenchContext, { contender, nodeFlags = [] }: GraderRun): Promise<ContenderRun> {
  const out = join(ctx.scratch, `${contender}-reports`);
  const encrypted = contender === 'grader-encrypted-key' ? ctx.encryptedKey : undefined;
  if (contender === 'grader-encrypted-key' && !encrypted) throw new Error('grader-encrypted-key needs ctx.encryptedKey (withEncryptedKey)');
  const argv = graderArgv(
    ['--host', lab.name, '--inventory', encrypted?.inventoryPath ?? lab.inventoryPath, '--checks', ctx.checksPath, '--out', out, '--host-key-checking', 'strict'],
    nodeFlags,
    { tsx: contender === 'grader-tsx' },
  );
  const measurement = await measure({ argv, cwd: REPO, env: { ...graderEnv(), ...encrypted?.env } });
  const jsonPath = join(out, `${lab.name}.json`);
  const report = existsSync(jsonPath) ? (JSON.parse(await readFile(jsonPath, 'utf8')) as LabReport) : undefined;
  if (!report || measurement.exitCode === null || measurement.exitCode > 1) {
    throw new Error(`the grader failed on ${lab.name} (exit ${measurement.exitCode}): ${measurement.stderr.slice(-2000)}`);
  }
  const verdicts: Record<string, string> = {};
  const details: Record<string, string> = {};
  for (const r of report.results) {
    const key = r.host === 'lab' ? r.id : `${r.id} ${r.host}`;
    verdicts[key] = r.status;
    if (r.status !== 'pass') details[key] = r.message;
  }
  return { contender, measurement, detachedCpuMs: 0, verdicts, details, report };
}

type Verdicts = Pick<ContenderRun, 'verdicts' | 'details'>;

// Shell lines `PASS virtio vm1 enp1s0` / `FAIL routes vm1: ...`; a VM's virtio fails if any NIC does.
function shellVerdicts(stdout: string): Verdicts {
  const verdicts: Record<string, string> = {};
  const details: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^(PASS|FAIL) ([\w-]+)(?: (vm1|router|vm3))?/.exec(line);
    if (!m) continue;
    const key = m[3] ? `${m[2]} ${m[3]}` : m[2]!;
    const status = m[1] === 'PASS' ? 'pass' : 'fail';
    if (verdicts[key] !== 'fail') verdicts[key] = status;
    if (status === 'fail') details[key] = line.slice(5);
  }
  return { verdicts, details };
}

async function runShell(lab: LabRef, ctx: BenchContext): Promise<ContenderRun> {
  const { vm1, router, vm3 } = lab.management;
  const argv = ['bash', SHELL_GRADER, lab.keyPath, lab.knownHostsPath, vm1, router, vm3, String(ctx.iperfSeconds)];
  const measurement = await measure({ argv, cwd: ctx.scratch, env: CLEAN_ENV });
  return { contender: 'shell', measurement, detachedCpuMs: 0, ...shellVerdicts(measurement.stdout) };
}

const TESTINFRA_IDS: Record<string, string> = {
  test_subnets: 'subnets',
  'test_virtio[vm1]': 'virtio vm1',
  'test_virtio[router]': 'virtio router',
  'test_virtio[vm3]': 'virtio vm3',
  test_ip_forward: 'ip-forward router',
  'test_routes[vm1-vm3]': 'routes vm1',
  'test_routes[vm3-vm1]': 'routes vm3',
  test_ping: 'ping vm1',
  test_traceroute: 'traceroute vm1',
  test_iperf: 'iperf vm1',
};

// pytest -rA summary lines: `PASSED path::test_x[param]`, `FAILED path::test_y - reason`.
function testinfraVerdicts(stdout: string): Verdicts {
  const verdicts: Record<string, string> = {};
  const details: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^(PASSED|FAILED|ERROR) \S*::(\S+)(?: - (.*))?/.exec(line);
    const id = m && TESTINFRA_IDS[m[2]!];
    if (!id) continue;
    verdicts[id] = m[1] === 'PASSED' ? 'pass' : 'fail';
    if (m[1] !== 'PASSED') details[id] = m[3] ?? m[1]!;
  }
  return { verdicts, details };
}

async function sshConfigFor(lab: LabRef, ctx: BenchContext): Promise<{ path: string; controlDir: string }> {
  const dir = join(ctx.scratch, 'testinfra', lab.name);
  const controlDir = join(dir, 'ctl');
  await mkdir(controlDir, { recursive: true });
  const path = join(dir, 'ssh_config');
  await writeFile(
    path,
    [
      'Host *',
      '  User root',
      `  IdentityFile ${lab.keyPath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${lab.knownHostsPath}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '  LogLevel ERROR',
      // Testinfra passes ControlMaster=auto ControlPersist=60s; the socket path is the user's part.
      `  ControlPath ${controlDir}/%C`,
      '',
    ].join('\n'),
  );
  return { path, controlDir };
}

// Stops the ControlMasters Testinfra left (ControlPersist=60s), adding up the CPU they used.
async function stopMasters(configPath: string, addresses: string[]): Promise<number> {
  let cpuMs = 0;
  for (const address of addresses) {
    const check = await execFileP('ssh', ['-F', configPath, '-O', 'check', address]).catch((e: { stderr?: string }) => ({ stderr: e.stderr ?? '' }));
    const pid = /pid=(\d+)/.exec(check.stderr ?? '')?.[1];
    if (!pid) continue;
    cpuMs += processCpuMs(Number(pid));
    await execFileP('ssh', ['-F', configPath, '-O', 'exit', address]).catch(() => undefined);
  }
  return cpuMs;
}

async function runTestinfra(lab: LabRef, ctx: BenchContext): Promise<ContenderRun> {
  const { vm1, router, vm3 } = lab.management;
  const config = await sshConfigFor(lab, ctx);
  const argv = [PYTHON, '-m', 'pytest', '-q', '-rA', '-p', 'no:cacheprovider', `--ssh-config=${config.path}`, TESTINFRA_SUITE];
  const env = { ...CLEAN_ENV, PYTHONDONTWRITEBYTECODE: '1', BENCH_VM1: vm1, BENCH_ROUTER: router, BENCH_VM3: vm3, BENCH_IPERF_SECONDS: String(ctx.iperfSeconds) };
  let measurement: Measurement;
  let detachedCpuMs = 0;
  try {
    measurement = await measure({ argv, cwd: config.controlDir, env });
  } finally {
    detachedCpuMs = await stopMasters(config.path, [vm1, router, vm3]);
  }
  return { contender: 'testinfra', measurement, detachedCpuMs, ...testinfraVerdicts(measurement.stdout) };
}

export function runContender(contender: ContenderId, lab: LabRef, ctx: BenchContext): Promise<ContenderRun> {
  if (contender === 'grader' || contender === 'grader-tsx' || contender === 'grader-encrypted-key') return runGrader(lab, ctx, { contender });
  if (contender === 'shell') return runShell(lab, ctx);
  return runTestinfra(lab, ctx);
}

/** The grader once more, under `node --cpu-prof` (profile written to `profileDir`). */
export function runGraderProfiled(lab: LabRef, ctx: BenchContext, profileDir: string): Promise<ContenderRun> {
  return runGrader(lab, ctx, { contender: 'grader', nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
}
