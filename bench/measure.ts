// Runs one command as a child under /usr/bin/time: wall, CPU (user+sys of it and every child it
// waited for) and peak RSS, plus how busy the whole machine was meanwhile (/proc/stat).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  wallMs: number;
  userMs: number;
  sysMs: number;
  /** Peak resident set of the largest process of the tree, KiB. */
  maxRssKb: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** CPU time the whole machine spent (all processes, all cores) during the run, ms. */
  machineBusyMs: number;
}

interface RunSpec {
  argv: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed (and recorded as failed) after this long. @default 300_000 */
  timeoutMs?: number;
}

export const CLOCK_TICKS_PER_SECOND = 100;

/** Busy (non-idle, non-iowait) CPU time of the machine since boot, ms. */
function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS_PER_SECOND;
}

export async function measure(spec: RunSpec): Promise<Measurement> {
  const dir = await mkdtemp(join(tmpdir(), 'rlg-bench-time-'));
  const timeFile = join(dir, 'time');
  try {
    const busyBefore = machineBusyMs();
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-q', '-o', timeFile, '-f', '%U %S %M', ...spec.argv], {
        cwd: spec.cwd,
        env: spec.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs ?? 300_000);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
      });
    });
    const wallMs = performance.now() - started;
    const machineBusy = machineBusyMs() - busyBefore;
    const line = (await readFile(timeFile, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '';
    const [user, sys, rss] = line.split(/\s+/).map(Number);
    return {
      wallMs,
      userMs: (user ?? Number.NaN) * 1000,
      sysMs: (sys ?? Number.NaN) * 1000,
      maxRssKb: rss ?? Number.NaN,
      exitCode: code,
      stdout,
      stderr,
      machineBusyMs: machineBusy,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
