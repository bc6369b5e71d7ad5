// The course record end to end on simulated labs over SSH (loopback): the four stories of issue 22
// (a lab regraded alone updates the class files, a regrade without --roster keeps every name, merge
// and rescore check the roster, history and gradebook --at), deadlines, and two class runs at once.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../grader/class-report/csv-records.ts';
import { faultOf } from '../support/simulated-lab/faults.ts';
import { runCli } from '../support/run-cli.ts';
import { startSimulatedClass, type SimulatedClass } from '../support/simulated-class.ts';
import { testDir } from '../support/test-files.ts';

let sim: SimulatedClass;
beforeAll(async () => {
  sim = await startSimulatedClass(4, 'cr');
}, 60_000);
afterAll(() => sim?.stop());

const env = () => ({ GRADER_SSH_KEY: sim.keyPath, GRADER_KNOWN_HOSTS: sim.knownHostsPath, GRADER_SSH_PASSWORD: undefined, SSH_AUTH_SOCK: undefined, GRADER_STORE: undefined });
const grade = (out: string, ...args: string[]) => runCli(['--inventory', sim.inventoryPath, '--out', out, '--only', 'ip-forward', ...args], env());
const cli = (...args: string[]) => runCli(args, env());

type Row = Record<string, string>;
async function gradebook(file: string): Promise<Row[]> {
  const { records } = parseCsv(await readFile(file, 'utf8'));
  const [header, ...rows] = records.map((r) => r.fields);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i] ?? ''])));
}
const rowOf = (rows: Row[], lab: string) => rows.find((r) => r.lab === lab)!;

async function writeRoster(dir: string, lines: string[]): Promise<string> {
  const file = join(dir, 'roster.csv');
  await writeFile(file, `lab,id,name,email,extension\n${lines.join('\n')}\n`);
  return file;
}
const FULL = ['cr-000,s0,Ada,ada@example.edu,', 'cr-001,s1,Zoë,zoe@example.edu,', 'cr-002,s2,Bob,bob@example.edu,', 'cr-003,s3,Eve,eve@example.edu,'];

describe('the course record, end to end', () => {
  it('a lab fixed and regraded alone, a regrade without --roster, history and gradebook --at', async () => {
    const out = await testDir('rlg-record-');
    const roster = await writeRoster(out, FULL);
    const router = sim.labs[1]!.faults;
    router.router = faultOf('refuse-auth');
    try {
      expect((await grade(out, '--all', '--roster', roster)).code).toBe(1);
    } finally {
      delete router.router;
    }
    const first = await readFile(join(out, 'gradebook.csv'), 'utf8');
    expect(rowOf(await gradebook(join(out, 'gradebook.csv')), 'cr-001')).toMatchObject({ student_id: 's1', score: '', status: 'not graded' });
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));

    // Story 1: one --host with --roster and --out: the class files follow the lab's new report.
    const one = await grade(out, '--host', 'cr-001', '--roster', roster);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Class files \(4 labs\) rebuilt: /);
    const report = JSON.parse(await readFile(join(out, 'cr-001.json'), 'utf8')) as { score: number };
    const after = await gradebook(join(out, 'gradebook.csv'));
    expect(rowOf(after, 'cr-001')).toMatchObject({ student_id: 's1', name: 'Zoë', score: String(report.score), status: 'graded' });

    // Story 2: a regrade of two labs with no --roster keeps every student's id, name and e-mail.
    expect((await grade(out, '--host', 'cr-002,cr-003')).code).toBe(0);
    const regraded = await gradebook(join(out, 'gradebook.csv'));
    expect(regraded.map((r) => [r.lab, r.student_id, r.name, r.email])).toEqual(FULL.map((l) => l.split(',').slice(0, 4)).map(([lab, id, name, email]) => [lab, id, name, email]));

    // Story 4: history lists each grading and what flipped; --at reproduces the class before the regrade.
    const history = await cli('history', 'cr-001', '--out', out, '--json');
    expect(history.code).toBe(0);
    const lines = JSON.parse(history.stdout) as Array<{ command: string; flipped: Array<{ result: string; from?: string; to?: string }> }>;
    expect(lines.map((l) => l.command)).toEqual(['class', 'grade']);
    expect(lines[1]!.flipped).toEqual([{ result: 'ip-forward router', from: 'error', to: 'pass' }]);
    expect((await cli('history', '--out', out)).stdout).toMatch(/^cr-001\n {2}#\d+ {2}\S+Z {2}0\/\d+ {2}on time {2}class {2}checks [0-9a-f]{8} --only ip-forward\n {6}ip-forward router: new -> error\n/m);
    const asOf = await cli('gradebook', '--out', out, '--at', between);
    expect(asOf.code).toBe(0);
    const folder = /Class reports: \S+ (\S+gradebook\.csv)/.exec(asOf.stdout)?.[1];
    expect(folder).toMatch(/as-of-\d{8}T\d{6}Z\/gradebook\.csv$/);
    expect(await readFile(folder!, 'utf8')).toBe(first);
  }, 120_000);

  it('merge and rescore check the roster the same way a class run does', async () => {
    const out = await testDir('rlg-record-');
    const roster = await writeRoster(out, [...FULL.slice(1), 'cr-9,s9,Typo,typo@example.edu,', 'cr-004,s1,Twice,,']);
    const warnings = (stderr: string) =>
      stderr
        .split('\n')
        .filter((l) => l.includes('warning:'))
        .map((l) => l.replace(/^.*warning: /, '').replace(/\S*roster\.csv:\d+/, 'roster'))
        .sort();
    const expected = [
      'no roster line for cr-000: their gradebook rows have no student (last rows)',
      'roster: lab cr-004 is not in the inventory (a typo?): no report will carry this student',
      'roster: lab cr-9 is not in the inventory (a typo?): no report will carry this student',
      'student s1 has 2 labs in the roster (cr-001, cr-004): a typo in an id?',
    ];
    const graded = await grade(out, '--all', '--roster', roster);
    expect(warnings(graded.stderr)).toEqual(expected);
    // Said before grading: the warnings come before the progress of the first lab.
    expect(graded.stderr.indexOf('warning:')).toBeGreaterThanOrEqual(0);
    expect(await readFile(join(out, 'class.html'), 'utf8')).toMatch(/Students with two labs in the roster \(1\)/);

    const checks = join(out, 'checks.yaml');
    await writeFile(checks, await readFile(new URL('../../checks/exercise.yaml', import.meta.url), 'utf8'));
    const rescore = await cli('rescore', out, '--checks', checks, '--out', join(out, 'rescored'));
    expect(warnings(rescore.stderr)).toEqual(expected);
    expect(rowOf(await gradebook(join(out, 'rescored', 'gradebook.csv')), 'cr-001')).toMatchObject({ student_id: 's1', name: 'Zoë' });

    const merged = await cli('merge', out, '--inventory', sim.inventoryPath, '--out', join(out, 'merged'));
    expect(merged.code).toBe(0);
    expect(warnings(merged.stderr)).toEqual(expected);
    expect((await gradebook(join(out, 'merged', 'gradebook.csv'))).map((r) => r.student_id)).toEqual(['s1', 's2', 's3', '']);
  }, 120_000);

  it('a deadline: late attempts are marked, and count by the late policy', async () => {
    const out = await testDir('rlg-record-');
    const roster = await writeRoster(out, [...FULL.slice(0, 3), 'cr-003,s3,Eve,eve@example.edu,2d']);
    const deadline = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect((await grade(out, '--all', '--roster', roster, '--deadline', deadline)).code).toBe(0);
    const rows = await gradebook(join(out, 'gradebook.csv'));
    expect(rowOf(rows, 'cr-000')).toMatchObject({ late: expect.stringMatching(/^1 h( 1 min)?$/), score: '0' });
    // cr-003 has two more days: on time, full score.
    expect(rowOf(rows, 'cr-003')).toMatchObject({ late: '' });
    expect(Number(rowOf(rows, 'cr-003').score)).toBeGreaterThan(0);
    expect(await readFile(join(out, 'class.html'), 'utf8')).toMatch(/late by 1 h( 1 min)?: counts 0/);
    const penalty = await cli('gradebook', '--out', out, '--late', 'penalty:25', '--files', join(out, 'penalty'));
    expect(penalty.code).toBe(0);
    const full = Number(rowOf(rows, 'cr-003').score);
    expect(rowOf(await gradebook(join(out, 'penalty', 'gradebook.csv')), 'cr-000').score).toBe(String(full * 0.75));
    const bad = await grade(out, '--host', 'cr-000', '--deadline', 'friday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--deadline: 'friday' is not a time with its zone/);
  }, 120_000);

  it('two class runs into one folder at once lose no attempt', async () => {
    const out = await testDir('rlg-record-');
    const runs = await Promise.all([grade(out, '--all'), grade(out, '--all')]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const history = JSON.parse((await cli('history', '--out', out, '--json')).stdout) as unknown[];
    expect(history).toHaveLength(8);
    expect(await gradebook(join(out, 'gradebook.csv'))).toHaveLength(4);
  }, 120_000);

  it('an --out of JSON reports from before the record is imported on first use', async () => {
    const out = await testDir('rlg-record-');
    expect((await grade(out, '--all')).code).toBe(0);
    const { rm } = await import('node:fs/promises');
    await rm(join(out, 'grades.sqlite'));
    await rm(join(out, 'grades.sqlite-wal'), { force: true });
    await rm(join(out, 'grades.sqlite-shm'), { force: true });
    const history = await cli('history', '--out', out, '--json');
    expect(history.code).toBe(2);
    const again = await grade(out, '--host', 'cr-000');
    expect(again.stderr).toMatch(/imported 4 lab reports found in \S+ into its new course record/);
    const lines = JSON.parse((await cli('history', '--out', out, '--json')).stdout) as Array<{ command: string }>;
    expect(lines.map((l) => l.command).sort()).toEqual(['grade', 'import', 'import', 'import', 'import']);
  }, 120_000);
});
