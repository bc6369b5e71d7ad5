// `npm run grade -- plans` through the CLI, on a real course record (SQLite in a temporary folder).
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/test-files.ts';

const ROSTER = 'lab,id,name,email\nnc1,s1,Ada Lovelace,ada@example.edu\nnc2,s2,Alan Turing,alan@example.edu\nnc3,s3,Grace Hopper,grace@example.edu\n';

interface PlanRow { studentId: string; lab: string; vm1Network: string; vm3Network: string; routerOnVm1: string; routerOnVm3: string; draw: number }
const plansOf = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'plans.json'), 'utf8')) as PlanRow[];

describe('plans', () => {
  const dir = tempDir('plans-');

  it('draws a plan per student, keeps them on a second run, draws for a new student and on --reseed', async () => {
    const out = path.join(dir(), 'class');
    const roster = path.join(dir(), 'roster.csv');
    await writeFile(roster, ROSTER);
    const first = await runCli(['plans', '--roster', roster, '--out', out]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('3 plans (3 drawn now, 0 kept)');
    expect(first.code).toBe(0);
    const plans = await plansOf(out);
    expect(plans.map((p) => [p.studentId, p.lab])).toEqual([['s1', 'nc1'], ['s2', 'nc2'], ['s3', 'nc3']]);
    const csv = await readFile(path.join(out, 'plans.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('student_id,name,lab,vm1Network,vm3Network,routerOnVm1,routerOnVm3,draw');

    // Each handout holds its student's values and none of the others'.
    for (const plan of plans) {
      const md = await readFile(path.join(out, 'handouts', `${plan.lab}.md`), 'utf8');
      expect(md).toContain(`sudo ip route add ${plan.vm3Network} via ${plan.routerOnVm1}`);
      for (const other of plans.filter((p) => p !== plan)) expect(md).not.toContain(other.vm1Network);
      expect(await readFile(path.join(out, 'handouts', `${plan.lab}.html`), 'utf8')).toContain(plan.routerOnVm3);
    }

    // Again, with the roster kept in the record: nothing changes.
    const again = await runCli(['plans', '--out', out]);
    expect(again.stdout).toContain('3 plans (0 drawn now, 3 kept)');
    expect(await plansOf(out)).toEqual(plans);

    await writeFile(roster, `${ROSTER}nc4,s4,Edsger Dijkstra,\n`);
    const grown = await runCli(['plans', '--roster', roster, '--out', out]);
    expect(grown.stdout).toContain('4 plans (1 drawn now, 3 kept)');
    const four = await plansOf(out);
    expect(four.slice(0, 3)).toEqual(plans);

    const reseeded = await runCli(['plans', '--out', out, '--reseed', 's2']);
    expect(reseeded.stdout).toContain('4 plans (1 drawn now, 3 kept)');
    const after = await plansOf(out);
    expect(after[1]!.draw).toBe(1);
    expect(after[1]!.vm1Network).not.toBe(plans[1]!.vm1Network);
    expect([after[0], after[2], after[3]]).toEqual([four[0], four[2], four[3]]);
  });

  it('refuses bad pools, an unknown --reseed and a missing roster with one line each (exit 2)', async () => {
    const out = path.join(dir(), 'class');
    const none = await runCli(['plans', '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('plans: no roster: give one with --roster FILE');
    const roster = path.join(dir(), 'roster.csv');
    await writeFile(roster, ROSTER);
    const bad = await runCli(['plans', '--roster', roster, '--out', out, '--pool', '10.0.0.1/8', '--prefix-length', '30', '--reseed', 's9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--pool '10.0.0.1/8' has host bits set: did you mean 10.0.0.0/8?");
    expect(bad.stderr).toContain('--prefix-length must be a whole number from 1 to 29');
    expect(bad.stderr).toContain('--reseed s9: no student of the roster has that id');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const tooSmall = await runCli(['plans', '--roster', roster, '--out', out, '--pool', '10.9.0.0/23']);
    expect(tooSmall.code).toBe(2);
    expect(tooSmall.stderr).toContain('no free /24 network is left in 10.9.0.0/23');
  });

  it('never writes a handout through a link planted in --out (exit 4, one line)', async () => {
    const out = path.join(dir(), 'class');
    const elsewhere = path.join(dir(), 'elsewhere');
    await mkdir(out, { recursive: true });
    await mkdir(elsewhere);
    await symlink(elsewhere, path.join(out, 'handouts'));
    const roster = path.join(dir(), 'roster.csv');
    await writeFile(roster, ROSTER);
    const run = await runCli(['plans', '--roster', roster, '--out', out]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^router-lab-grader: the plans are in the course record, but their files could not be written to \S+ \(.*\)\n$/);
    expect(await readdir(elsewhere)).toEqual([]);
  });
});
