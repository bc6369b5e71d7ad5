// A class of namespace labs of mixed variants graded with one command, interrupted halfway (the
// grader killed outright, as a crash or a reboot would), then resumed: the labs already graded
// are kept, the rest graded, the class files rebuilt, and every lab's verdicts are the ones the
// single-lab suite expects of its variant.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabReport } from '../../grader/core/lab-report.ts';
import type { LabHandle, Variant } from '../../labs/netns/api.ts';
import { upInstructorClass } from '../support/instructor-class.ts';
import { REPO, runCli } from '../support/run-cli.ts';
import { EXERCISE_CHECKS, resultKey } from '../support/exercise-results.ts';
import { EXPECTED_VERDICTS } from './expected-verdicts.ts';
import { validateJunitFile } from '../support/junit-xml.ts';

const VARIANTS: Variant[] = [
  'good',
  'good',
  'good',
  'no-forwarding',
  'no-route',
  'no-return-route',
  'overlapping-subnets',
  'slow-link',
  'via-host',
  'firewall-drop',
  'router-down',
  'no-iperf',
];

let labs: LabHandle[] = [];
let dir: string;
let inventory: string;
let checks: string;
const out = () => join(dir, 'reports');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlg-class-'));
  ({ labs, inventoryPath: inventory, checksPath: checks } = await upInstructorClass('cls', VARIANTS, dir));
}, 180_000);

afterAll(async () => {
  await Promise.all(labs.map((lab) => lab.down()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const args = () => ['--all', '--inventory', inventory, '--checks', checks, '--out', out(), '--concurrency', '4', '--host-key-checking', 'strict'];

// Starts the class and kills the grader (SIGKILL: no chance to clean up) once `finished` labs are done.
function gradeUntilKilled(finished: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', `${REPO}node_modules/tsx/dist/loader.mjs`, `${REPO}grader/cli.ts`, ...args()], {
      cwd: dir,
      env: Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: '1' }).filter(([name]) => !name.startsWith('GRADER_'))),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if ((stdout.match(/^\[\d+\/12\] /gm) ?? []).length >= finished) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
  });
}

async function jsonReports(): Promise<Map<string, { report: LabReport }>> {
  const found = new Map<string, { report: LabReport }>();
  for (const file of (await readdir(out()).catch(() => [])).filter((f) => f.endsWith('.json'))) {
    const path = join(out(), file);
    found.set(file.replace(/\.json$/, ''), { report: JSON.parse(await readFile(path, 'utf8')) });
  }
  return found;
}

describe('a class of 12 reference labs', () => {
  it('is interrupted, resumed without regrading, and every lab gets its single-lab verdicts', async () => {
    const firstOutput = await gradeUntilKilled(4);
    const before = await jsonReports();
    expect(before.size, firstOutput).toBeGreaterThanOrEqual(4);
    expect(before.size).toBeLessThan(12);
    expect(firstOutput).not.toMatch(/Class reports:/);

    const resumed = await runCli([...args(), '--resume'], { GRADER_SSH_KEY: undefined, GRADER_KNOWN_HOSTS: undefined }, dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(1);
    expect((resumed.stdout.match(/kept from an earlier run/g) ?? []).length).toBe(before.size);
    expect(resumed.stdout).toMatch(/^12 labs: 0 passed every check, 0 could not be graded$/m);

    const after = await jsonReports();
    expect([...after.keys()].sort()).toEqual(labs.map((l) => l.name).sort());
    // Kept, not graded again: the same grading (its start and duration), drawn again from the course record.
    for (const [lab, { report }] of before) expect(after.get(lab)?.report).toMatchObject({ startedAt: report.startedAt, durationMs: report.durationMs, score: report.score });

    for (const [i, lab] of labs.entries()) {
      const report = after.get(lab.name)!.report;
      const statuses = Object.fromEntries(report.results.map((r) => [resultKey(r), r.status === 'pass' ? r.status : `${r.status}: ${r.message}`]));
      const expected = Object.fromEntries(
        Object.entries(EXPECTED_VERDICTS[VARIANTS[i]!]).map(([key, e]) => [key, e.status === 'pass' ? e.status : expect.stringMatching(new RegExp(`^${e.status}: `))]),
      );
      expect({ lab: lab.name, variant: VARIANTS[i], statuses }).toEqual({ lab: lab.name, variant: VARIANTS[i], statuses: expected });
    }

    const gradebook = (await readFile(join(out(), 'gradebook.csv'), 'utf8')).trim().split(/\r?\n/);
    expect(gradebook).toHaveLength(13);
    expect(gradebook[0]).toBe(`student_id,name,email,lab,score,max_score,${EXERCISE_CHECKS.map((c) => c.id).join(',')},status,points_not_graded,not_graded,graded_at,late,possible_copy_of,to_review`);
    const validation = await validateJunitFile(join(out(), 'class.xml'), 'ant');
    expect(validation.code, validation.output).toBe(0);
    const html = await readFile(join(out(), 'class.html'), 'utf8');
    for (const lab of labs) expect(html).toContain(lab.name);
  }, 600_000);
});
