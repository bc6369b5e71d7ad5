// One variant end to end: build the lab, grade it in-process (and through the CLI when asked),
// validate the JUnit report, look for a left-over iperf3 server, tear the lab down. Everything the
// assertions need is captured before the lab and the temporary report directory go away.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseDotenv } from 'dotenv';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { type CheckSpec } from '../../grader/config/check-file.ts';
import { credentialsFromEnv } from '../../grader/config/credentials-from-env.ts';
import { findLab, loadInventory } from '../../grader/config/inventory.ts';
import { writeReports } from '../../grader/report/write-reports.ts';
import { gradeLab } from '../../grader/run/grade-lab.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { labUp, type LabAddresses, type LabHandle, type Variant } from '../../labs/netns/api.ts';
import { runTool, validateJunitFile, type ToolRun } from '../support/junit-xml.ts';
import { exerciseChecksWith } from '../support/exercise-results.ts';
import { runCli, type CliRun } from '../support/run-cli.ts';

/** iperf's measurement length in the in-process runs: enough for a figure, short for CI. */
export const IPERF_SECONDS = 2;

export interface CliObservation {
  run: CliRun;
  /** The JSON report the CLI wrote, or undefined when it wrote none. */
  report?: LabReport;
  junitWritten: boolean;
  iperfServersLeft: string[];
}

export interface VariantRun {
  variant: Variant;
  lab: string;
  addresses: LabAddresses;
  checks: CheckSpec[];
  report: LabReport;
  /** xmllint against the ant flavor's schemas (test/support/junit-xml.ts) on the JUnit report writeReports wrote. */
  junitValidation: ToolRun;
  /** iperf3 processes still alive in VM3's namespace after grading: `pid cmdline` each. */
  iperfServersLeft: string[];
  cli?: CliObservation;
  /** Each VM's NIC names by network (they depend on the lab's slot). */
  nics: Record<'vm1' | 'router' | 'vm3', Partial<Record<'management' | 'internal1' | 'internal2', string>>>;
  /** With `applyFixes`: the diagnoses' commands as run in the namespaces, and the report after. */
  afterFix?: { applied: FixRun[]; report: LabReport };
  /** From `up` to the last observation (teardown excluded). */
  durationMs: number;
}

// checks/exercise.yaml as the CLI loads it, with iperf measuring for IPERF_SECONDS.
export async function exerciseChecks(): Promise<CheckSpec[]> {
  return exerciseChecksWith({ iperf: { durationSeconds: IPERF_SECONDS } });
}

function liveIperf3(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const match = /^\d+ \((.*)\) (\S)/.exec(stat);
    if (!match || match[1] !== 'iperf3' || match[2] === 'Z') return undefined;
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`;
  } catch {
    return undefined; // gone meanwhile
  }
}

// iperf3 processes in a namespace. A server killed a moment ago may take a little while to go:
// only one still there after `graceMs` counts.
export async function iperfServersIn(namespace: string, graceMs = 3000): Promise<string[]> {
  const deadline = performance.now() + graceMs;
  for (;;) {
    const pids = await runTool('ip', ['netns', 'pids', namespace]);
    if (pids.code !== 0) throw new Error(`ip netns pids ${namespace} failed: ${pids.output}`);
    const found = pids.output.split('\n').filter(Boolean).flatMap((pid) => liveIperf3(pid.trim()) ?? []);
    if (found.length === 0 || performance.now() > deadline) return found;
    await sleep(250);
  }
}

async function gradeInProcess(handle: LabHandle, checks: CheckSpec[], outDir: string): Promise<{ report: LabReport; junitPath: string }> {
  const env = parseDotenv(readFileSync(handle.envPath));
  const lab = findLab(await loadInventory(handle.inventoryPath), handle.name);
  if (!env.GRADER_KNOWN_HOSTS) throw new Error(`${handle.envPath} names no GRADER_KNOWN_HOSTS`);
  const report = await gradeLab(lab, checks, {
    credentials: credentialsFromEnv(env),
    knownHosts: await KnownHosts.load(env.GRADER_KNOWN_HOSTS),
    hostKeyPolicy: 'strict',
    readyTimeoutMs: 30_000,
  });
  const { junitPath } = await writeReports(report, outDir);
  return { report, junitPath };
}

// The CLI as a user runs it, from a directory of its own, with no credentials in the environment:
// the key and known_hosts come from the .env beside the lab's inventory.
async function gradeWithCli(handle: LabHandle, outDir: string, cwd: string): Promise<Omit<CliObservation, 'iperfServersLeft'>> {
  const run = await runCli(
    ['--host', handle.name, '--inventory', handle.inventoryPath, '--out', outDir, '--host-key-checking', 'strict'],
    {
      INIT_CWD: undefined,
      GRADER_SSH_KEY: undefined,
      GRADER_SSH_KEY_PASSPHRASE: undefined,
      GRADER_SSH_PASSWORD: undefined,
      GRADER_KNOWN_HOSTS: undefined,
      SSH_AUTH_SOCK: undefined,
    },
    cwd,
  );
  const jsonPath = join(outDir, `${handle.name}.json`);
  const report = existsSync(jsonPath) ? (JSON.parse(await readFile(jsonPath, 'utf8')) as LabReport) : undefined;
  return { run, report, junitWritten: existsSync(join(outDir, `${handle.name}.xml`)) };
}

export interface FixRun {
  host: string;
  command: string;
  code: number | null;
  output: string;
  /** After a dhclient command: the VM's own lease file ('' when it has none). */
  ownLease?: string;
}

// What a student types from "What to fix": every command of every diagnosis on a VM, in order, as
// printed (`sudo` and `dhclient` included), in that VM's shell over SSH with the lab's key. VirtIO
// steps are for the hypervisor.
async function applyFixes(handle: LabHandle, report: LabReport): Promise<FixRun[]> {
  const runs: FixRun[] = [];
  for (const d of report.diagnoses ?? []) {
    if (d.cause === 'not-virtio' || (d.host !== 'vm1' && d.host !== 'router' && d.host !== 'vm3')) continue;
    for (const command of d.fix) {
      const run = await runTool('ssh', [
        '-F', '/dev/null', '-i', handle.keyPath, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
        '-o', `UserKnownHostsFile=${handle.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes',
        `root@${handle.addresses[d.host].management}`, command,
      ]);
      // dhclient's lease file: the VM's own, in the lab's folder (never the machine's /var/lib/dhcp).
      // A comment line (`# then VM3 needs ... dhclient ...`) runs nothing: only a command that is dhclient.
      const lease = !command.trimStart().startsWith('#') && /\bdhclient\b/.test(command) ? handle.plan.sshd[d.host].dhclientLeasePath : undefined;
      runs.push({ host: d.host, command, code: run.code, output: run.output, ...(lease ? { ownLease: existsSync(lease) ? readFileSync(lease, 'utf8') : '' } : {}) });
    }
  }
  return runs;
}

export interface RunOptions {
  name: string;
  checks: CheckSpec[];
  /** Also grade the lab through the CLI. */
  cli: boolean;
  /** Labs that are up: a run adds its lab once built and removes it once torn down. */
  labsUp: Set<LabHandle>;
  /** After grading, apply the diagnoses' fixes in the namespaces and grade again. */
  applyFixes?: boolean;
}

export async function runVariant(variant: Variant, options: RunOptions): Promise<VariantRun> {
  const started = performance.now();
  const scratch = await mkdtemp(join(tmpdir(), `rlg-e2e-${variant}-`));
  let handle: LabHandle | undefined;
  try {
    handle = await labUp({ name: options.name, variant });
    options.labsUp.add(handle);
    const { report, junitPath } = await gradeInProcess(handle, options.checks, join(scratch, 'reports'));
    const run: VariantRun = {
      variant,
      lab: handle.name,
      addresses: handle.addresses,
      checks: options.checks,
      report,
      junitValidation: await validateJunitFile(junitPath),
      iperfServersLeft: await iperfServersIn(handle.namespaces.vm3),
      nics: nicNames(handle),
      durationMs: 0,
    };
    if (options.applyFixes) {
      const applied = await applyFixes(handle, report);
      const again = await gradeInProcess(handle, options.checks, join(scratch, 'reports-after-fix'));
      run.afterFix = { applied, report: again.report };
    }
    if (options.cli) {
      const cwd = join(scratch, 'cwd');
      await mkdir(cwd);
      const cli = await gradeWithCli(handle, join(scratch, 'cli-reports'), cwd);
      run.cli = { ...cli, iperfServersLeft: await iperfServersIn(handle.namespaces.vm3) };
    }
    run.durationMs = Math.round(performance.now() - started);
    return run;
  } finally {
    if (handle) {
      await handle.down();
      options.labsUp.delete(handle);
    }
    await rm(scratch, { recursive: true, force: true });
  }
}

function nicNames(handle: LabHandle): VariantRun['nics'] {
  const of = (role: 'vm1' | 'router' | 'vm3') => Object.fromEntries(handle.plan.vms[role].nics.map((n) => [n.network, n.name]));
  return { vm1: of('vm1'), router: of('router'), vm3: of('vm3') };
}

// At most `capacity` units in use; a task takes `weight` units. First come, first served, so a
// task that needs every unit is not starved by smaller ones.
export class Slots {
  private free: number;
  private readonly waiting: Array<{ weight: number; start: () => void }> = [];

  constructor(readonly capacity: number) {
    this.free = capacity;
  }

  async use<T>(weight: number, task: () => Promise<T>): Promise<T> {
    const units = Math.min(weight, this.capacity);
    await new Promise<void>((start) => {
      this.waiting.push({ weight: units, start });
      this.dispatch();
    });
    try {
      return await task();
    } finally {
      this.free += units;
      this.dispatch();
    }
  }

  private dispatch(): void {
    while (this.waiting[0] && this.waiting[0].weight <= this.free) {
      const next = this.waiting.shift()!;
      this.free -= next.weight;
      next.start();
    }
  }
}
