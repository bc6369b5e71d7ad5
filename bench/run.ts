// `npm run bench`: the grader, a hand-written shell script and a Testinfra suite, side by side on
// the namespace reference lab (good variant), one lab and then a class; writes docs/BENCHMARKS.md.
//
//   sudo npm run bench -- [--runs N] [--labs N] [--class-runs N] [--class-peers N] [--also-concurrency N]
//                         [--warmup N] [--doc FILE] [--json FILE] [--from-json FILE] [--key-decryption]
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { classUp, probesOf, type ClassLabs } from './class-labs.ts';
import { measureClass } from './class-runs.ts';
import { buildGrader, graderArgv, graderEnv, REPO, runContender, runGraderProfiled, SERIES, type BenchContext, type ContenderId, withEncryptedKey } from './contenders.ts';
import { keepBoardSection } from './board-section.ts';
import { renderBenchmarks } from './doc.ts';
import { decryptionTimes } from './doc/encrypted-key.ts';
import { keyDecryptionAlone, keyDecryptions } from './key-decryption.ts';
import { renderSlowRc, slowRcCase } from './slow-rc.ts';
import { LabSide } from './lab-side.ts';
import { describeMachine } from './machine.ts';
import { measure } from './measure.ts';
import { consensus, record, writeCheckFile } from './one-lab-runs.ts';
import { parseOptions, USAGE } from './options.ts';
import { channelCosts, gradingTimelines, labSideSplit, startupCosts } from './probes.ts';
import { readCpuProfile } from './profile.ts';
import { recordingCost } from './record-cost.ts';
import type { LabReport } from '../grader/core/lab-report.ts';
import type { BenchResults, RunRecord } from './results.ts';

const log = (line: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.fromJson) {
    const saved = JSON.parse(await readFile(options.fromJson, 'utf8')) as BenchResults;
    await writeFile(options.doc, keepBoardSection(await readFile(options.doc, 'utf8').catch(() => undefined), renderBenchmarks(saved)));
    log(`wrote ${relative(process.cwd(), options.doc) || options.doc} from ${options.fromJson}`);
    return;
  }
  if (options.keyDecryptionOnly) {
    log(decryptionTimes(await keyDecryptionAlone(options.runs)));
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
    const slowRc = await slowRcCase(lab, ctx, Math.min(3, options.runs), unavoidableMs, log);
    const { expected, deviations } = consensus(single);
    for (const d of deviations) log(`verdict differs: ${d}`);

    log('startup cost: node alone, the grader CLI with --list (as shipped, precompiled; and through tsx)');
    const startup = await startupCosts(options.runs, checksPath);
    log('one decryption of the encrypted key: the grader (in process) and ssh-keygen -y');
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
    log('the course record: recording each lab of a class, then drawing the class files from it');
    const template = JSON.parse(await readFile(join(scratch, 'grader-reports', `${lab.name}.json`), 'utf8')) as LabReport;
    const recording = await recordingCost(template, Math.max(options.labs, 100), scratch);

    const klass = options.labs > 1 ? await measureClass(classLabs, ctx, options, expected, log) : undefined;

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
      recording,
      ...(klass ? { class: klass } : {}),
    };
    await writeFile(options.doc, keepBoardSection(await readFile(options.doc, 'utf8').catch(() => undefined), renderBenchmarks(results) + renderSlowRc(slowRc)));
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
