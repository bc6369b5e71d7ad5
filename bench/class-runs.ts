// A class graded by the grader's CLI at once or lab after lab, and by a peer lab after lab.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabReport } from '../grader/core/lab-report.ts';
import { probesOf, type ClassLabs } from './class-labs.ts';
import { encryptedCopy, graderArgv, graderEnv, REPO, runContender, type BenchContext, type ContenderId } from './contenders.ts';
import { LabSide } from './lab-side.ts';
import { measure } from './measure.ts';
import type { Options } from './options.ts';
import { sameVerdicts } from './one-lab-runs.ts';
import type { BenchResults, ClassRecord } from './results.ts';

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

// The class part: all labs at once with the plain key and then the encrypted one, N at a time,
// then lab after lab by the grader and by each peer.
export async function measureClass(
  classLabs: ClassLabs,
  ctx: BenchContext,
  options: Options,
  expected: Record<string, string>,
  log: (line: string) => void,
): Promise<NonNullable<BenchResults['class']>> {
  const classSide = new LabSide(classLabs.handles.flatMap(probesOf));
  const concurrent: ClassRecord[] = [];
  const encrypted: ClassRecord[] = [];
  // The class key (GRADER_SSH_KEY in the class inventory's .env), encrypted; the environment wins over that .env.
  const passphrase = 'bench class passphrase';
  const classKey = join(ctx.scratch, 'class-encrypted-key', 'id_ed25519');
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
  return { size: options.labs, upMs: classLabs.upMs, concurrent, encrypted, limited, graderSequential, shellSequential, testinfraSequential };
}
