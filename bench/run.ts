// `npm run bench`: the grader, a hand-written shell script and a Testinfra suite, side by side on
// the namespace reference lab (good variant), one lab and then a class; writes docs/BENCHMARKS.md.
//
//   sudo npm run bench -- [--runs N] [--labs N] [--class-runs N] [--class-peers N] [--also-concurrency N]
//                         [--warmup N] [--doc FILE] [--json FILE] [--from-json FILE]
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import ssh2 from 'ssh2';
import { parseDocument } from 'yaml';
import type { LabReport } from '../grader/core/lab-report.ts';
import { loadCheckFile, type CheckSpec } from '../grader/config/check-file.ts';
import { parsePrivateKey } from '../grader/transport/credentials.ts';
import { CHANNEL_MODES, type ChannelCost } from './channel-cost.ts';
import { classUp, probesOf, type ClassLabs } from './class-labs.ts';
import {
  buildGrader,
  encryptedCopy,
  graderArgv,
  graderEnv,
  REPO,
  runContender,
  runGraderProfiled,
  SERIES,
  type BenchContext,
  type ContenderId,
  type ContenderRun,
  type LabRef,
  withEncryptedKey,
} from './contenders.ts';
import { renderBenchmarks } from './doc.ts';
import { LabSide } from './lab-side.ts';
import { describeMachine } from './machine.ts';
import { measure } from './measure.ts';
import { phaseBreakdown, readCpuProfile } from './profile.ts';
import type { Timeline } from './timeline.ts';
import type { BenchResults, ChannelRecord, ClassRecord, KeyDecryptionRecord, LabSplitRecord, RunRecord, StartupRecord } from './results.ts';

const USAGE = `Usage: sudo npm run bench -- [--runs N] [--labs N] [--class-runs N] [--class-peers N] [--also-concurrency N]
                           [--warmup N] [--doc FILE] [--json FILE]
  --runs N         measured runs per contender on one lab, after the warm-up (default 5)
  --warmup N       unrecorded runs per contender first (default 1)
  --labs N         labs in the class (default 20; 1 skips the class part)
  --class-runs N   runs of the grader on the whole class at once (default 1)
  --also-concurrency N
                   one more class run with --concurrency N (default 4; 0: none)
  --class-peers N  labs the shell script and Testinfra grade one after another; fewer than --labs
                   scales their class figures up to --labs (default 5: each takes ~10-17 s a lab)
  --doc FILE       where the report goes (default docs/BENCHMARKS.md)
  --json FILE      also write the raw results as JSON
  --from-json FILE measure nothing: write the report from the results a run saved with --json`;

interface Options {
  runs: number;
  warmup: number;
  labs: number;
  classRuns: number;
  classPeers: number;
  alsoConcurrency: number;
  doc: string;
  json?: string;
  fromJson?: string;
}

function positive(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 200) throw new Error(`--${name} must be a whole number from ${min} to 200`);
  return n;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string' },
      labs: { type: 'string' },
      'class-runs': { type: 'string' },
      'class-peers': { type: 'string' },
      'also-concurrency': { type: 'string' },
      doc: { type: 'string' },
      json: { type: 'string' },
      'from-json': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const labs = positive('labs', values.labs, 20);
  return {
    runs: positive('runs', values.runs, 5),
    warmup: positive('warmup', values.warmup, 1, 0),
    labs,
    classRuns: positive('class-runs', values['class-runs'], 1),
    alsoConcurrency: positive('also-concurrency', values['also-concurrency'], 4, 0),
    classPeers: Math.min(labs, positive('class-peers', values['class-peers'], Math.min(labs, 5))),
    doc: values.doc ?? join(REPO, 'docs', 'BENCHMARKS.md'),
    json: values.json,
    fromJson: values['from-json'],
  };
}

const log = (line: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// checks/exercise.yaml with iperf measuring for `seconds`; the unavoidable time it implies.
async function writeCheckFile(path: string, seconds: number): Promise<{ checks: CheckSpec[]; pingCount: number; pingInterval: number }> {
  const doc = parseDocument(await readFile(join(REPO, 'checks', 'exercise.yaml'), 'utf8'));
  const list = doc.toJS().checks as Array<{ kind: string }>;
  const iperf = list.findIndex((c) => c.kind === 'iperf');
  if (iperf < 0) throw new Error('checks/exercise.yaml has no iperf check');
  doc.setIn(['checks', iperf, 'params', 'durationSeconds'], seconds);
  await writeFile(path, doc.toString().replace(/^# yaml-language-server:.*\n/, ''));
  const checks = await loadCheckFile(path);
  const ping = checks.find((c) => c.kind.kind === 'ping');
  const params = (ping?.params ?? {}) as { count?: number; intervalSeconds?: number };
  return { checks, pingCount: ping ? (params.count ?? 5) : 0, pingInterval: ping ? (params.intervalSeconds ?? 0.2) : 0 };
}

async function record(run: () => Promise<ContenderRun>, side: LabSide, unavoidableMs: number): Promise<RunRecord> {
  await side.settle();
  const mark = side.mark();
  const result = await run();
  await side.settle();
  const lab = side.since(mark);
  const m = result.measurement;
  const ownMs = m.userMs + m.sysMs + result.detachedCpuMs + lab.cpuMs;
  return {
    contender: result.contender,
    wallMs: m.wallMs,
    userMs: m.userMs,
    sysMs: m.sysMs,
    detachedCpuMs: result.detachedCpuMs,
    maxRssKb: m.maxRssKb,
    overheadMs: m.wallMs - unavoidableMs,
    lab,
    othersBusyMs: Math.max(0, m.machineBusyMs - ownMs),
    verdicts: result.verdicts,
    details: result.details,
    ...(result.report ? { phases: phaseBreakdown(result.report, m.wallMs) } : {}),
  };
}

function sameVerdicts(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

async function startupCosts(runs: number, checksPath: string): Promise<StartupRecord[]> {
  const list = ['--list', '--checks', checksPath];
  const cases: Array<Pick<StartupRecord, 'key' | 'label'> & { argv: string[] }> = [
    { key: 'node', label: 'node, nothing loaded (`node -e 0`)', argv: [process.execPath, '-e', '0'] },
    { key: 'bundle-help', label: 'the precompiled bundle alone, `--help` (`node dist/grader-cli.mjs --help`)', argv: [process.execPath, join(REPO, 'dist', 'grader-cli.mjs'), '--help'] },
    { key: 'launcher-help', label: 'the launcher and the bundle, `--help` (`node bin/grade.mjs --help`)', argv: graderArgv(['--help']) },
    { key: 'list', label: 'grader CLI as shipped (precompiled, bin/grade.mjs), checks listed, no lab (`--list`)', argv: graderArgv(list) },
    { key: 'npm-list', label: 'the same as users type it: `npm run grade -- --list`', argv: ['npm', 'run', '--silent', 'grade', '--', ...list] },
    { key: 'list-tsx', label: 'grader CLI through tsx (how it shipped before), `--list`', argv: graderArgv(list, [], { tsx: true }) },
  ];
  const records: StartupRecord[] = [];
  for (const c of cases) {
    const rec: StartupRecord = { key: c.key, label: c.label, argv: c.argv.map((a) => (a.startsWith('/') ? relative(REPO, a) || a : a)).join(' '), wallMs: [], cpuMs: [], maxRssKb: [] };
    for (let i = 0; i < runs + 1; i++) {
      const m = await measure({ argv: c.argv, cwd: REPO, env: graderEnv() });
      if (m.exitCode !== 0) throw new Error(`${rec.argv} failed: ${m.stderr}`);
      if (i === 0) continue; // warm-up
      rec.wallMs.push(m.wallMs);
      rec.cpuMs.push(m.userMs + m.sysMs);
      rec.maxRssKb.push(m.maxRssKb);
    }
    records.push(rec);
  }
  return records;
}

// One decryption of the encrypted key, `runs` times each: by the grader (its own bcrypt_pbkdf, in
// this process, on a fresh copy of the key so that nothing is cached), by ssh2 (JavaScript, as the
// grader did it before) and by OpenSSH's ssh-keygen (C; `-y` derives the public key from it).
async function keyDecryptions(key: { keyPath: string; passphrase: string }, runs: number): Promise<KeyDecryptionRecord> {
  const text = await readFile(key.keyPath);
  const record: KeyDecryptionRecord = { graderMs: [], ssh2Ms: [], opensshMs: [] };
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    parsePrivateKey(Buffer.from(text), key.passphrase);
    record.graderMs!.push(performance.now() - started);
    started = performance.now();
    const parsed = ssh2.utils.parseKey(text, key.passphrase);
    record.ssh2Ms.push(performance.now() - started);
    if (parsed instanceof Error) throw new Error(`ssh2 cannot decrypt the benchmark's key: ${parsed.message}`);
    const m = await measure({ argv: ['ssh-keygen', '-y', '-P', key.passphrase, '-f', key.keyPath], cwd: REPO, env: graderEnv() });
    if (m.exitCode !== 0) throw new Error(`ssh-keygen -y failed: ${m.stderr}`);
    record.opensshMs.push(m.userMs + m.sysMs);
  }
  return record;
}

async function channelCosts(lab: LabRef, side: LabSide, commands: number): Promise<ChannelRecord[]> {
  const records: ChannelRecord[] = [];
  for (const mode of CHANNEL_MODES) {
    const argv = [process.execPath, '--import', 'tsx', join(REPO, 'bench', 'channel-cost.ts'), mode, String(commands), lab.management.vm1, lab.keyPath, lab.knownHostsPath];
    await side.settle();
    const mark = side.mark();
    const m = await measure({ argv, cwd: REPO, env: graderEnv() });
    await side.settle();
    if (m.exitCode !== 0) throw new Error(`channel-cost ${mode} failed: ${m.stderr}`);
    const cost = JSON.parse(m.stdout.trim().split('\n').pop()!) as ChannelCost;
    records.push({ mode, commands, connectMs: cost.connectMs, perCommandMs: cost.perCommandMs, clientCpuMs: m.userMs + m.sysMs, lab: side.since(mark) });
  }
  return records;
}

// The lab side's CPU for one lab, split: every check but iperf, then iperf alone (whose 2-second
// transfer takes whatever CPU is free: time-bound, not a fixed amount of work).
async function labSideSplit(lab: LabRef, ctx: BenchContext, side: LabSide, checks: CheckSpec[], runs: number): Promise<LabSplitRecord> {
  const withoutIperf = checks.filter((c) => c.kind.kind !== 'iperf').map((c) => c.id);
  const iperf = checks.filter((c) => c.kind.kind === 'iperf').map((c) => c.id);
  const split: LabSplitRecord = { withoutIperf: [], iperfOnly: [] };
  for (let i = 0; i < runs; i++) {
    for (const [only, into] of [[withoutIperf, split.withoutIperf], [iperf, split.iperfOnly]] as const) {
      if (only.length === 0) continue;
      const args = ['--host', lab.name, '--inventory', lab.inventoryPath, '--checks', ctx.checksPath, '--only', only.join(','), '--out', join(ctx.scratch, 'split'), '--host-key-checking', 'strict'];
      await side.settle();
      const mark = side.mark();
      const m = await measure({ argv: graderArgv(args), cwd: REPO, env: graderEnv() });
      await side.settle();
      if (m.exitCode === null || m.exitCode > 1) throw new Error(`grade --only ${only.join(',')} failed: ${m.stderr.slice(-1500)}`);
      into.push({ ...side.since(mark), wallMs: m.wallMs });
    }
  }
  return split;
}

async function gradingTimelines(lab: LabRef, ctx: BenchContext, side: LabSide, runs: number): Promise<Timeline[]> {
  await side.settle();
  const argv = [process.execPath, '--import', 'tsx', join(REPO, 'bench', 'timeline.ts'), lab.inventoryPath, lab.name, ctx.checksPath, String(runs)];
  const m = await measure({ argv, cwd: REPO, env: graderEnv() });
  await side.settle();
  if (m.exitCode !== 0) throw new Error(`bench/timeline.ts failed: ${m.stderr.slice(-1500)}`);
  return JSON.parse(m.stdout.trim().split('\n').pop()!) as Timeline[];
}

async function readReports(dir: string): Promise<LabReport[]> {
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => /^bench-\d+\.json$/.test(f));
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as LabReport));
}

function verdictsOf(report: LabReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.host === 'lab' ? r.id : `${r.id} ${r.host}`, r.status]));
}

async function gradeClassWithCli(
  classLabs: ClassLabs,
  concurrency: number,
  ctx: BenchContext,
  side: LabSide,
  expected: Record<string, string>,
  label: string,
  env: Record<string, string> = {},
): Promise<ClassRecord> {
  const out = join(ctx.scratch, `class-${concurrency}-${Date.now()}`);
  const args = ['--all', '--inventory', classLabs.classInventoryPath, '--concurrency', String(concurrency), '--checks', ctx.checksPath, '--out', out, '--host-key-checking', 'strict'];
  await side.settle();
  const mark = side.mark();
  const m = await measure({ argv: graderArgv(args), cwd: REPO, env: { ...graderEnv(), ...env }, timeoutMs: 900_000 });
  await side.settle();
  const lab = side.since(mark);
  if (m.exitCode === null || m.exitCode > 1) throw new Error(`grade --all failed (exit ${m.exitCode}): ${m.stderr.slice(-2000)}`);
  const reports = await readReports(out);
  const size = classLabs.labs.length;
  const unexpected = reports.flatMap((r) =>
    r.results.flatMap((x) => {
      const key = x.host === 'lab' ? x.id : `${x.id} ${x.host}`;
      return x.status === expected[key] ? [] : [`${r.lab} ${key}: ${x.status} (${x.message})`];
    }),
  );
  return {
    label,
    how: `npm run grade -- --all --concurrency ${concurrency} (one process)`,
    labsRun: size,
    wallMs: m.wallMs,
    cpuMs: m.userMs + m.sysMs,
    maxRssKb: m.maxRssKb,
    lab,
    classWallMs: m.wallMs,
    classCpuMs: m.userMs + m.sysMs,
    extrapolated: false,
    labsAsExpected: reports.filter((r) => sameVerdicts(verdictsOf(r), expected)).length,
    unexpected,
    othersBusyMs: Math.max(0, m.machineBusyMs - m.userMs - m.sysMs - lab.cpuMs),
    labDurationsMs: reports.map((r) => r.durationMs),
    iperfMbps: reports.flatMap((r) => r.results.filter((x) => x.id === 'iperf').map((x) => x.measurements.throughputMbps ?? Number.NaN)),
  };
}

async function peerLabAfterLab(
  contender: ContenderId,
  classLabs: ClassLabs,
  count: number,
  ctx: BenchContext,
  side: LabSide,
  expected: Record<string, string>,
  label: string,
): Promise<ClassRecord> {
  let wallMs = 0;
  let cpuMs = 0;
  let maxRssKb = 0;
  let asExpected = 0;
  let othersBusyMs = 0;
  const unexpected: string[] = [];
  const labTotals = { connections: 0, channels: 0, cpuMs: 0 };
  for (const lab of classLabs.labs.slice(0, count)) {
    await side.settle();
    const mark = side.mark();
    const run = await runContender(contender, lab, ctx);
    await side.settle();
    const l = side.since(mark);
    labTotals.connections += l.connections;
    labTotals.channels += l.channels;
    labTotals.cpuMs += l.cpuMs;
    wallMs += run.measurement.wallMs;
    cpuMs += run.measurement.userMs + run.measurement.sysMs + run.detachedCpuMs;
    maxRssKb = Math.max(maxRssKb, run.measurement.maxRssKb);
    othersBusyMs += Math.max(0, run.measurement.machineBusyMs - run.measurement.userMs - run.measurement.sysMs - run.detachedCpuMs - l.cpuMs);
    if (sameVerdicts(run.verdicts, expected)) asExpected++;
    for (const [key, status] of Object.entries(run.verdicts)) {
      if (status !== expected[key]) unexpected.push(`${lab.name} ${key}: ${status} (${run.details[key] ?? ''})`);
    }
  }
  const size = classLabs.labs.length;
  const scale = size / count;
  return {
    label,
    how: `${contender === 'shell' ? 'bench/peers/shell-grader.sh' : 'pytest bench/peers/test_lab.py'} on each lab, one after another`,
    labsRun: count,
    wallMs,
    cpuMs,
    maxRssKb,
    lab: labTotals,
    classWallMs: wallMs * scale,
    classCpuMs: cpuMs * scale,
    extrapolated: count < size,
    labsAsExpected: asExpected,
    unexpected,
    othersBusyMs,
  };
}

// Per result, the verdict most runs gave; and every run's departure from it.
function consensus(single: Record<ContenderId, RunRecord[]>): { expected: Record<string, string>; deviations: string[] } {
  const votes = new Map<string, Map<string, number>>();
  for (const runs of Object.values(single)) {
    for (const run of runs) {
      for (const [key, status] of Object.entries(run.verdicts)) {
        const v = votes.get(key) ?? new Map<string, number>();
        v.set(status, (v.get(status) ?? 0) + 1);
        votes.set(key, v);
      }
    }
  }
  const expected = Object.fromEntries([...votes].map(([key, v]) => [key, [...v].sort((a, b) => b[1] - a[1])[0]![0]]));
  const deviations: string[] = [];
  for (const [contender, runs] of Object.entries(single)) {
    runs.forEach((run, i) => {
      for (const key of Object.keys(expected)) {
        if (run.verdicts[key] !== expected[key]) {
          deviations.push(`${contender} run ${i + 1}: ${key} ${run.verdicts[key] ?? 'missing'}${run.details[key] ? ` (${run.details[key]})` : ''}`);
        }
      }
    });
  }
  return { expected, deviations };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.fromJson) {
    const saved = JSON.parse(await readFile(options.fromJson, 'utf8')) as BenchResults;
    await writeFile(options.doc, renderBenchmarks(saved));
    log(`wrote ${relative(process.cwd(), options.doc) || options.doc} from ${options.fromJson}`);
    return;
  }
  if (process.getuid?.() !== 0) throw new Error('the benchmark builds network namespaces: run it as root (sudo npm run bench)');
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const command = `sudo npm run bench -- --runs ${options.runs} --warmup ${options.warmup} --labs ${options.labs} --class-runs ${options.classRuns} --class-peers ${options.classPeers} --also-concurrency ${options.alsoConcurrency}`;
  const scratch = await mkdtemp(join(tmpdir(), 'rlg-bench-'));
  const iperfSeconds = 2;
  const checksPath = join(scratch, 'exercise-iperf2.yaml');
  const { checks, pingCount, pingInterval } = await writeCheckFile(checksPath, iperfSeconds);
  const unavoidableMs = (iperfSeconds + pingCount * pingInterval) * 1000;
  const machine = await describeMachine();
  log(`${machine.nproc} cores, ${machine.cpuModel}, load ${machine.loadavg.join(' ')}; scratch ${scratch}`);

  log('npm run build: the precompiled CLI, fresh before any measured run');
  await buildGrader();
  const help = await measure({ argv: graderArgv(['--help']), cwd: REPO, env: graderEnv() });
  if (help.exitCode !== 0) throw new Error(`the grader CLI does not start: ${help.stderr.slice(-1500)}`);
  const hasAll = help.stdout.includes('--all');
  if (options.labs > 1 && !hasAll) throw new Error('this grader has no --all: the class part needs it (or give --labs 1)');

  let classLabs: ClassLabs | undefined;
  const stop = (signal: string) => {
    log(`${signal}: tearing the labs down`);
    void (classLabs?.down() ?? Promise.resolve())
      .then(() => rm(scratch, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  try {
    log(`bringing up ${options.labs} reference lab(s) (good variant) at once`);
    classLabs = await classUp(options.labs, scratch, log);
    log(`up in ${(classLabs.upMs / 1000).toFixed(1)} s`);
    const lab = classLabs.labs[0]!;
    const ctx: BenchContext = { checksPath, iperfSeconds, scratch, encryptedKey: await withEncryptedKey(lab, join(scratch, 'encrypted-key')) };
    const side = new LabSide(probesOf(classLabs.handles[0]!));

    log(`warm-up: ${options.warmup} run(s) of each contender on ${lab.name}`);
    for (let i = 0; i < options.warmup; i++) for (const c of SERIES) await runContender(c, lab, ctx);

    const single = Object.fromEntries(SERIES.map((c) => [c, []])) as unknown as Record<ContenderId, RunRecord[]>;
    for (let i = 0; i < options.runs; i++) {
      const order = SERIES.map((_, k) => SERIES[(k + i) % SERIES.length]!);
      for (const c of order) {
        const rec = await record(() => runContender(c, lab, ctx), side, unavoidableMs);
        single[c].push(rec);
        log(
          `run ${i + 1}/${options.runs} ${c}: wall ${(rec.wallMs / 1000).toFixed(2)} s, cpu ${((rec.userMs + rec.sysMs + rec.detachedCpuMs) / 1000).toFixed(2)} s, ` +
            `lab-side cpu ${(rec.lab.cpuMs / 1000).toFixed(2)} s, ${rec.lab.connections} connections, ${rec.lab.channels} channels`,
        );
      }
    }
    const { expected, deviations } = consensus(single);
    for (const d of deviations) log(`verdict differs: ${d}`);

    log('startup cost: node alone, the grader CLI with --list (as shipped, precompiled; and through tsx)');
    const startup = await startupCosts(options.runs, checksPath);
    log('one decryption of the encrypted key: the grader and ssh2 (in process), and ssh-keygen -y');
    const keyDecryption = await keyDecryptions(ctx.encryptedKey!, options.runs);
    log('cost of a remote command: new OpenSSH connection, OpenSSH mux channel, raw ssh2 channel, grader transport');
    const channels = await channelCosts(lab, side, 10);
    log("the lab side's CPU for one lab: every check but iperf, then iperf alone");
    const labSplit = await labSideSplit(lab, ctx, side, checks, Math.min(3, options.runs));
    log('the timeline of grading one lab, in-process');
    const timeline = await gradingTimelines(lab, ctx, side, Math.min(3, options.runs));
    log('one grader run under node --cpu-prof');
    const profileDir = join(scratch, 'cpu-prof');
    await mkdir(profileDir);
    const profiledRun = await record(() => runGraderProfiled(lab, ctx, profileDir), side, unavoidableMs);
    const profile = { run: profiledRun, cpu: await readCpuProfile(profileDir) };

    let klass: BenchResults['class'];
    if (options.labs > 1) {
      const classSide = new LabSide(classLabs.handles.flatMap(probesOf));
      const concurrent: ClassRecord[] = [];
      const encrypted: ClassRecord[] = [];
      // The class key (GRADER_SSH_KEY in the class inventory's .env), encrypted; the environment wins over that .env.
      const passphrase = 'bench class passphrase';
      const classKey = join(scratch, 'class-encrypted-key', 'id_ed25519');
      await encryptedCopy(classLabs.classLabs[0]!.keyPath, classKey, passphrase);
      const encryptedEnv = { GRADER_SSH_KEY: classKey, GRADER_SSH_KEY_PASSPHRASE: passphrase };
      const say = (what: string, c: ClassRecord) =>
        log(`  ${what}: wall ${(c.wallMs / 1000).toFixed(2)} s, cpu ${(c.cpuMs / 1000).toFixed(2)} s, lab-side cpu ${(c.lab.cpuMs / 1000).toFixed(1)} s, ${c.labsAsExpected}/${options.labs} as expected`);
      for (let i = 0; i < options.classRuns; i++) {
        log(`class run ${i + 1}/${options.classRuns}: ${options.labs} labs at once (--concurrency ${options.labs}), then the same with the key encrypted`);
        concurrent.push(await gradeClassWithCli(classLabs, options.labs, ctx, classSide, expected, `grader, ${options.labs} labs at once`));
        say('plain key', concurrent.at(-1)!);
        encrypted.push(await gradeClassWithCli(classLabs, options.labs, ctx, classSide, expected, `grader, ${options.labs} labs at once, encrypted key`, encryptedEnv));
        say('encrypted key', encrypted.at(-1)!);
      }
      const limited: ClassRecord[] = [];
      if (options.alsoConcurrency > 1 && options.alsoConcurrency < options.labs) {
        log(`class: ${options.labs} labs, ${options.alsoConcurrency} at a time (--concurrency ${options.alsoConcurrency})`);
        limited.push(await gradeClassWithCli(classLabs, options.alsoConcurrency, ctx, classSide, expected, `grader, ${options.alsoConcurrency} labs at a time`));
        log(`  wall ${(limited[0]!.wallMs / 1000).toFixed(1)} s, ${limited[0]!.labsAsExpected}/${options.labs} as expected`);
      }
      log('class: the grader, lab after lab (--concurrency 1)');
      const graderSequential = await gradeClassWithCli(classLabs, 1, ctx, classSide, expected, 'grader, lab after lab');
      log(`  wall ${(graderSequential.wallMs / 1000).toFixed(1)} s`);
      log(`class: the shell script on ${options.classPeers} lab(s), one after another`);
      const shellSequential = await peerLabAfterLab('shell', classLabs, options.classPeers, ctx, classSide, expected, 'shell script, lab after lab');
      log(`  wall ${(shellSequential.wallMs / 1000).toFixed(1)} s`);
      log(`class: Testinfra on ${options.classPeers} lab(s), one after another`);
      const testinfraSequential = await peerLabAfterLab('testinfra', classLabs, options.classPeers, ctx, classSide, expected, 'Testinfra, lab after lab');
      log(`  wall ${(testinfraSequential.wallMs / 1000).toFixed(1)} s`);
      klass = { size: options.labs, upMs: classLabs.upMs, concurrent, encrypted, limited, graderSequential, shellSequential, testinfraSequential };
    }

    const results: BenchResults = {
      command,
      startedAt,
      totalMs: performance.now() - started,
      machine,
      loadavgEnd: loadavg().map((l) => Math.round(l * 100) / 100),
      config: {
        runs: options.runs,
        warmup: options.warmup,
        labs: options.labs,
        classRuns: options.classRuns,
        alsoConcurrency: options.alsoConcurrency,
        classPeerLabs: options.classPeers,
        iperfSeconds,
        pingCount,
        pingIntervalSeconds: pingInterval,
        unavoidableMs,
        checkFile: "checks/exercise.yaml with the iperf check's durationSeconds set to 2",
      },
      singleLab: lab.name,
      single,
      expected,
      deviations,
      startup,
      keyDecryption,
      channels,
      labSplit,
      timeline,
      profile,
      ...(klass ? { class: klass } : {}),
    };
    await writeFile(options.doc, renderBenchmarks(results));
    await (await import('./course-deadline.ts')).deadlineBench({ students: 100, concurrency: 8, windowS: 60, doc: options.doc });
    log(`wrote ${relative(process.cwd(), options.doc) || options.doc}`);
    if (options.json) {
      await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`);
      log(`wrote ${options.json}`);
    }
  } finally {
    if (classLabs) {
      log('tearing the labs down');
      await classLabs.down();
    }
    await rm(scratch, { recursive: true, force: true });
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
