// The course server at a deadline: N simulated students submit within one minute (their labs are
// simulated labs: ssh2 servers on loopback, test/support/simulated-lab/), to one course server in
// this process with --concurrency C. Every attempt must be recorded, none lost; the figure is the
// time from submit to result beyond the lab's own grading time (queue wait, tunnel, recording).
// Writes its section of docs/BENCHMARKS.md (between its markers; the rest of the file is kept).
//
//   npx tsx bench/course-deadline.ts [--students N] [--concurrency C] [--window-s S] [--doc FILE]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { ROLES } from '../grader/core/roles.ts';
import { submitLab, type SubmitOptions } from '../grader/server/submit-client.ts';
import { startTestCourseServer } from '../test/support/course-server.ts';
import { quickChecks, startSimulatedClass } from '../test/support/simulated-class.ts';
import { sec, summarize } from './stats.ts';

const BEGIN = '<!-- course-deadline: written by bench/course-deadline.ts -->';
const END = '<!-- /course-deadline -->';

export interface DeadlineOptions {
  students: number;
  concurrency: number;
  windowS: number;
  doc: string;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

export async function deadlineBench(options: DeadlineOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rlg-deadline-'));
  const simulated = await startSimulatedClass(options.students, `deadline${process.pid}`);
  const course = await startTestCourseServer({ dir, keyPath: simulated.keyPath, checks: await quickChecks(), limits: { concurrency: options.concurrency } });
  try {
    await course.store.putRoster(simulated.labs.map((lab, i) => ({ lab: lab.name, id: `s${i}` })), 'bench');
    const tokens = await Promise.all(simulated.labs.map(async (lab, i) => (await course.store.issueToken(`s${i}`, lab.name)).token));
    const started = performance.now();
    const runs = await Promise.all(
      simulated.labs.map(async (lab, i) => {
        await new Promise((r) => setTimeout(r, Math.random() * options.windowS * 1000));
        const vms = Object.fromEntries(ROLES.map((r) => [r, { host: lab.endpoints[r].host, port: lab.endpoints[r].port, user: lab.endpoints[r].user }])) as SubmitOptions['vms'];
        const sink = new PassThrough().resume();
        let queuedAt: number | undefined;
        const out = new PassThrough();
        out.on('data', (d: Buffer) => {
          if (queuedAt === undefined && /queued: place/.test(String(d))) queuedAt = performance.now();
        });
        const t0 = performance.now();
        const outcome = await submitLab({ url: course.url, token: tokens[i]!, lab: lab.name, vms, color: false, stdout: out, stderr: sink });
        return { lab: lab.name, outcome, ms: performance.now() - t0, queued: queuedAt !== undefined };
      }),
    );
    const wallS = (performance.now() - started) / 1000;
    const attempts = await course.store.attempts();
    const byLab = new Map(attempts.map((a) => [a.lab, a]));
    const answered = runs.filter((r) => r.outcome.kind === 'answered');
    const overhead = runs.flatMap((r) => {
      const attempt = byLab.get(r.lab);
      return attempt?.report ? [r.ms - attempt.report.durationMs] : [];
    });
    const total = runs.map((r) => r.ms);
    const grading = attempts.map((a) => a.report!.durationMs);
    const perfect = attempts.filter((a) => a.report!.summary.pass === a.report!.summary.total).length;
    const lost = options.students - attempts.length;
    const row = (name: string, values: number[]) => `| ${name} | ${sec(summarize(values).median)} | ${sec(percentile(values, 95))} | ${sec(Math.max(...values))} |`;
    const section = `${BEGIN}
## The course server at a deadline

Produced by \`npx tsx bench/course-deadline.ts --students ${options.students} --concurrency ${options.concurrency}\` (also run by
\`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, Node ${process.version}.
${options.students} simulated students submit at random moments within ${options.windowS} s to one course server
(--concurrency ${options.concurrency}; the course record in SQLite); each student's lab is a simulated lab (ssh2 servers on
loopback that play a good lab, iperf shortened to 1 s), reached only through that student's submit tunnel.
Students, server and labs share this machine's cores.

- attempts recorded: **${attempts.length} of ${options.students}** (lost: ${lost}); answered with a result: ${answered.length};
  fully passed: ${perfect}; queued behind the bound at least once: ${runs.filter((r) => r.queued).length}
- all done ${wallS.toFixed(0)} s after the first student could submit

| time per student (s) | median | p95 | max |
|---|--:|--:|--:|
${row('submit to result', total)}
${row("the lab's own grading (report.durationMs)", grading)}
${row("beyond the lab's own grading (queue, tunnel, recording)", overhead)}

The time beyond the lab's own grading is mostly the queue: students' clients, the server and every simulated VM
share this machine's cores, and a wave of submissions waits for a place under the concurrency bound.
${END}`;
    let doc = '';
    try {
      doc = await readFile(options.doc, 'utf8');
    } catch {
      // a new file
    }
    const at = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    const next = at >= 0 && end > at ? `${doc.slice(0, at)}${section}${doc.slice(end + END.length)}` : `${doc}${doc && !doc.endsWith('\n\n') ? '\n' : ''}${section}\n`;
    await writeFile(options.doc, next);
    console.log(section);
    if (lost > 0) process.exitCode = 1;
  } finally {
    await course.stop();
    await simulated.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { students: { type: 'string' }, concurrency: { type: 'string' }, 'window-s': { type: 'string' }, doc: { type: 'string' } } });
  await deadlineBench({
    students: Number(values.students ?? 100),
    concurrency: Number(values.concurrency ?? 8),
    windowS: Number(values['window-s'] ?? 60),
    doc: values.doc ?? new URL('../docs/BENCHMARKS.md', import.meta.url).pathname,
  });
}
