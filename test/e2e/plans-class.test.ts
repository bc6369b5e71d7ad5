// Every student their own plan, end to end on reference labs (root): plans drawn for a class, labs
// built on them with `lab up --plan`'s addressing, graded as a class with a plan check. Two labs on
// their own plans pass it, one built on a classmate's plan fails it and is flagged naming whose, and
// one whose student joined after the plans were drawn is graded as without plans.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { classLabName, upInstructorClass, type InstructorClass } from '../support/instructor-class.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/test-files.ts';

interface PlanRow { studentId: string; lab: string; vm1Network: string; vm3Network: string; routerOnVm1: string; routerOnVm3: string }
const env = { GRADER_SSH_KEY: undefined, GRADER_KNOWN_HOSTS: undefined, GRADER_STORE: undefined };
const PREFIX = 'pl';
const lab = (i: number) => classLabName(PREFIX, i);
const rosterOf = (n: number) => `lab,id,name\n${Array.from({ length: n }, (_, i) => `${lab(i)},s${i + 1},Student ${i + 1}`).join('\n')}\n`;

describe('a class with addressing plans', () => {
  const dir = tempDir('plans-class-', { shared: true });
  let klass: InstructorClass | undefined;
  let plans: PlanRow[];
  let out: string;

  beforeAll(async () => {
    out = join(dir(), 'class');
    // Plans for the first three students; the reference labs' management networks are 10.122.N.0/24.
    await writeFile(join(dir(), 'roster3.csv'), rosterOf(3));
    const drawn = await runCli(['plans', '--roster', join(dir(), 'roster3.csv'), '--out', out, '--exclude', '10.122.0.0/16', '--exclude', '192.168.122.0/24'], env, dir());
    if (drawn.code !== 0) throw new Error(`plans failed: ${drawn.stderr}`);
    plans = JSON.parse(await readFile(join(out, 'plans.json'), 'utf8')) as PlanRow[];
    const planOf = (id: string) => plans.find((p) => p.studentId === id)!;
    // Lab 0 and 1 on their students' plans, lab 2 on student 1's (a classmate's), lab 3 as usual.
    klass = await upInstructorClass(PREFIX, ['good', 'good', 'good', 'good'], dir(), [planOf('s1'), planOf('s2'), planOf('s1'), undefined]);
    const checks = parse(await readFile(klass.checksPath, 'utf8')) as { checks: unknown[] };
    checks.checks.push({ id: 'plan', kind: 'plan', title: 'The lab is built on your own addressing plan', points: 2, hint: 'Use the networks and addresses of your handout.' });
    await writeFile(klass.checksPath, stringify(checks));
    await writeFile(join(dir(), 'roster4.csv'), rosterOf(4));
  });
  afterAll(async () => {
    await klass?.down();
  });

  it('grades each lab against its own plan, flags the one on a classmate’s plan, and leaves the planless lab as it was', async () => {
    const run = await runCli(['--all', '--inventory', klass!.inventoryPath, '--checks', klass!.checksPath, '--out', out, '--roster', join(dir(), 'roster4.csv'), '--only', 'subnets,plan', '--host-key-checking', 'off'], env, dir());
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    const report = async (i: number) => JSON.parse(await readFile(join(out, `${lab(i)}.json`), 'utf8')) as LabReport;
    const planResult = (r: LabReport) => r.results.find((x) => x.kind === 'plan');

    for (const i of [0, 1]) {
      const r = await report(i);
      expect(planResult(r)).toMatchObject({ status: 'pass', reason: 'follows-plan', points: 2 });
      expect(r.results.find((x) => x.kind === 'subnets')?.status).toBe('pass');
    }
    const copier = await report(2);
    expect(planResult(copier)).toMatchObject({ status: 'fail', reason: 'other-students-plan', points: 0, subject: { otherStudent: 's1', otherLab: lab(0) } });
    const planless = await report(3);
    expect(planResult(planless)).toBeUndefined();
    expect(planless.maxScore).toBe(2);

    const gradebook = await readFile(join(out, 'gradebook.csv'), 'utf8');
    const rows = gradebook.trim().split('\r\n').map((line) => line.split(','));
    const copyColumn = rows[0]!.indexOf('possible_copy_of');
    const rowOf = (i: number) => rows.find((row) => row.includes(lab(i)))!;
    expect(rowOf(2)[copyColumn]).toBe(`${lab(0)} (built on the addressing plan of s1)`);
    for (const i of [0, 1, 3]) expect(rowOf(i)[copyColumn]).toBe('');
    expect(await readFile(join(out, 'class.html'), 'utf8')).toContain('built on the addressing plan of s1');
  });

  it('wrote a handout per planned student with their own values only', async () => {
    for (const plan of plans) {
      const handout = await readFile(join(out, 'handouts', `${plan.lab}.md`), 'utf8');
      expect(handout).toContain(`sudo ip route add ${plan.vm1Network} via ${plan.routerOnVm3}`);
      for (const other of plans.filter((p) => p !== plan)) expect(handout).not.toContain(other.vm3Network);
    }
  });
});
