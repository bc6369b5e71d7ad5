// The slow-rc case of `npm run bench` (issue 25, item 13): the three contenders on the same lab,
// first with the VMs' Debian default rc files, then with a root `.bashrc` that sleeps 0.3 s first,
// as a student's conda, pyenv or nvm initialisation does. Every exec channel starts the login
// shell, so each contender pays the rc file once per channel it opens one after another.
//
//   sudo npx tsx bench/slow-rc.ts [--runs N] [--only grader,shell,testinfra]
// runs the case alone on a reference lab of its own and prints its section; `npm run bench` runs
// it on its single lab and appends the section to docs/BENCHMARKS.md.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { classUp } from './class-labs.ts';
import { buildGrader, CONTENDER_LABELS, CONTENDERS, REPO, runContender, type BenchContext, type ContenderId, type LabRef } from './contenders.ts';
import { summarize } from './stats.ts';

const execFileP = promisify(execFile);

export const SLOW_RC_SECONDS = 0.3;
const MARK = '# rlg-bench slow rc';

export interface SlowRcRecord {
  rcSeconds: number;
  unavoidableMs: number;
  /** Wall time of each run, ms, by contender: with the default rc files, and with the slow one. */
  wallMs: Partial<Record<ContenderId, { plain: number[]; slow: number[] }>>;
  /** Contenders with runs not counted, and why. */
  invalid?: Partial<Record<ContenderId, string>>;
}

// Puts (or takes away) `sleep 0.3` at the top of root's .bashrc on the lab's three VMs, over SSH as a
// student would (each VM's home is private to its sshd's mount namespace).
async function setSlowRc(lab: LabRef, slow: boolean): Promise<void> {
  const drop = `grep -v ${JSON.stringify(`${MARK}$`)} ~/.bashrc > ~/.bashrc.rlg; mv ~/.bashrc.rlg ~/.bashrc`;
  const add = `{ echo ${JSON.stringify(`sleep ${SLOW_RC_SECONDS} ${MARK}`)}; cat ~/.bashrc; } > ~/.bashrc.rlg; mv ~/.bashrc.rlg ~/.bashrc`;
  const options = ['-i', lab.keyPath, '-o', `UserKnownHostsFile=${lab.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR'];
  await Promise.all(Object.values(lab.management).map((address) => execFileP('ssh', [...options, `root@${address}`, `touch ~/.bashrc; ${drop}${slow ? `; ${add}` : ''}`])));
}

// `runs` rounds; in each, every contender once with the default rc files, then once with the slow one.
export async function slowRcCase(
  lab: LabRef,
  ctx: BenchContext,
  runs: number,
  unavoidableMs: number,
  log: (line: string) => void,
  contenders: readonly ContenderId[] = CONTENDERS,
): Promise<SlowRcRecord> {
  const record: SlowRcRecord = { rcSeconds: SLOW_RC_SECONDS, unavoidableMs, wallMs: {} };
  const firstVerdicts: Partial<Record<ContenderId, string>> = {};
  try {
    for (let i = 0; i < runs; i++) {
      for (const slow of [false, true]) {
        await setSlowRc(lab, slow);
        for (let k = 0; k < contenders.length; k++) {
          const contender = contenders[(k + i) % contenders.length]!;
          const run = await runContender(contender, lab, ctx);
          // The slow rc file must change no verdict: a run that gives none, or others than the
          // contender's first, measured something else than grading.
          const verdicts = JSON.stringify(Object.entries(run.verdicts).sort());
          firstVerdicts[contender] ??= verdicts;
          if (Object.keys(run.verdicts).length === 0 || verdicts !== firstVerdicts[contender]) {
            const why = Object.keys(run.verdicts).length === 0 ? 'no verdicts' : 'other verdicts than its first run';
            (record.invalid ??= {})[contender] = why;
            log(`${contender} gave ${why}, not counted: ${run.measurement.stdout.slice(-800)}${run.measurement.stderr.slice(-800)}`);
            continue;
          }
          const series = (record.wallMs[contender] ??= { plain: [], slow: [] });
          series[slow ? 'slow' : 'plain'].push(run.measurement.wallMs);
          log(`slow rc ${i + 1}/${runs} ${contender}${slow ? ', slow .bashrc' : ''}: wall ${(run.measurement.wallMs / 1000).toFixed(2)} s`);
        }
      }
    }
  } finally {
    await setSlowRc(lab, false);
  }
  return record;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

export function renderSlowRc(record: SlowRcRecord): string {
  const overhead = (walls: number[]) => summarize(walls).median - record.unavoidableMs;
  const rows = Object.entries(record.wallMs).map(([contender, { plain, slow }]) => {
    const [a, b] = [overhead(plain), overhead(slow)];
    return `| ${CONTENDER_LABELS[contender as ContenderId]} | ${seconds(a)} | ${seconds(b)} | ${seconds(b - a)} | ${((b - a) / (record.rcSeconds * 1000)).toFixed(1)} |`;
  });
  const grader = record.wallMs.grader;
  const ratios = grader
    ? Object.entries(record.wallMs)
        .filter(([c]) => c !== 'grader')
        .map(([c, { slow }]) => `${c} ${(overhead(slow) / overhead(grader.slow)).toFixed(1)}×`)
    : [];
  return [
    '',
    '## A student\'s slow login shell',
    '',
    `The same lab and checks, each contender run ${grader?.plain.length ?? 0} times with the VMs' default rc files and as many with a root \`.bashrc\` that first sleeps ${record.rcSeconds} s (\`bench/slow-rc.ts\`), as a student's conda, pyenv or nvm initialisation does: sshd starts the login shell for every exec channel, so a contender pays the rc file once per channel it opens while nothing else runs. Overhead = median wall − ${seconds(record.unavoidableMs)} s unavoidable, seconds; "rc files paid one after another" = added overhead / ${record.rcSeconds} s.`,
    '',
    '| contender | overhead, default rc | overhead, slow rc | added by the slow rc | rc files paid one after another |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(ratios.length > 0 ? [`With the slow rc file, the others' overhead against the grader's: ${ratios.join(', ')}.`, ''] : []),
    ...Object.entries(record.invalid ?? {}).map(([c, why]) => `Runs of ${CONTENDER_LABELS[c as ContenderId]} not counted: ${why}.\n`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, only: { type: 'string' } } });
  const runs = Number(values.runs ?? 3);
  const contenders = (values.only?.split(',') ?? CONTENDERS) as ContenderId[];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const scratch = await mkdtemp(join(tmpdir(), 'rlg-bench-slow-rc-'));
  const iperfSeconds = 2;
  const checksPath = join(scratch, 'exercise-iperf2.yaml');
  const exercise = await readFile(join(REPO, 'checks', 'exercise.yaml'), 'utf8');
  await writeFile(checksPath, exercise.replace(/durationSeconds: \d+/, `durationSeconds: ${iperfSeconds}`));
  await buildGrader();
  const labs = await classUp(1, scratch, log);
  try {
    const ctx: BenchContext = { checksPath, iperfSeconds, scratch };
    const record = await slowRcCase(labs.labs[0]!, ctx, runs, (iperfSeconds + 5 * 0.2) * 1000, log, contenders);
    process.stdout.write(`${renderSlowRc(record)}\n<!-- ${JSON.stringify(record)} -->\n`);
  } finally {
    await labs.down();
    await rm(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    process.stderr.write(`slow-rc: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
