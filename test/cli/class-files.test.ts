// The class files always describe the whole class in --out: a partial regrade, two shards into
// one folder, an empty shard; and the roster's disagreements with the inventory are said.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../grader/class-report/csv-records.ts';
import { runCli } from '../support/run-cli.ts';
import { startSimulatedClass, type SimulatedClass } from '../support/simulated-class.ts';
import { testDir } from '../support/test-files.ts';

let sim: SimulatedClass;
beforeAll(async () => {
  sim = await startSimulatedClass(8, 'nc');
}, 60_000);
afterAll(() => sim?.stop());

const env = () => ({ GRADER_SSH_KEY: sim.keyPath, GRADER_KNOWN_HOSTS: sim.knownHostsPath, GRADER_SSH_PASSWORD: undefined, SSH_AUTH_SOCK: undefined });
const grade = (out: string, ...args: string[]) => runCli(['--inventory', sim.inventoryPath, '--out', out, '--only', 'ip-forward', ...args], env());

async function gradebookLabs(out: string): Promise<string[]> {
  const { records } = parseCsv(await readFile(join(out, 'gradebook.csv'), 'utf8'));
  return records.slice(1).map((r) => r.fields[3]!);
}

const ALL = Array.from({ length: 8 }, (_, i) => `nc-${String(i).padStart(3, '0')}`);

describe('class files', () => {
  it('a partial regrade into the class folder keeps every lab in the gradebook, the class JUnit and the class page', async () => {
    const out = await testDir('rlg-classfiles-');
    expect((await grade(out, '--all')).code).toBe(0);
    const again = await grade(out, '--host', 'nc-003,nc-004');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Class files cover 8 of 8 labs \(6 from earlier gradings in the course record\)/);
    expect(await gradebookLabs(out)).toEqual(ALL);
    expect((await readFile(join(out, 'class.xml'), 'utf8')).match(/<testsuite /g)).toHaveLength(8);
    expect((await readFile(join(out, 'class.html'), 'utf8')).match(/<section id="lab-/g)).toHaveLength(8);
  }, 60_000);

  it('never mixes reports graded with another --only selection into the class files: they are named instead', async () => {
    const out = await testDir('rlg-classfiles-');
    await grade(out, '--all');
    const other = await runCli(['--inventory', sim.inventoryPath, '--out', out, '--only', 'ip-forward,routes', '--host', 'nc-000,nc-001'], env());
    expect(other.stdout).toMatch(/Class files cover 2 of 8 labs; 6 left out, graded with other checks or another --only/);
    expect(await gradebookLabs(out)).toEqual(['nc-000', 'nc-001']);
    expect(await readFile(join(out, 'class.html'), 'utf8')).toMatch(/Graded with other checks \(6\)/);
  }, 60_000);

  it('two shards into one folder: the second writes the whole class; labs with no report yet are named', async () => {
    const out = await testDir('rlg-classfiles-');
    const first = await grade(out, '--all', '--shard', '1/2');
    expect(first.stdout).toMatch(/Class files cover 4 of 8 labs; 4 have no report yet/);
    expect(await readFile(join(out, 'class.html'), 'utf8')).toMatch(/No report yet \(4\).*<code>nc-004<\/code>/s);
    await grade(out, '--all', '--shard', '2/2');
    expect(await gradebookLabs(out)).toEqual(ALL);
    expect(await readFile(join(out, 'class.html'), 'utf8')).not.toMatch(/No report yet/);
  }, 60_000);

  it('an empty shard says so and leaves the class files as they are', async () => {
    const out = await testDir('rlg-classfiles-');
    await grade(out, '--host', 'nc-000,nc-001');
    const before = await readFile(join(out, 'gradebook.csv'), 'utf8');
    const run = await grade(out, '--host', 'nc-000,nc-001,nc-002,nc-003', '--shard', '1/10');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/shard 1\/10 of 4 labs is empty: nothing graded, class files in .* left as they are/);
    expect(await readFile(join(out, 'gradebook.csv'), 'utf8')).toBe(before);
  }, 60_000);

  it('warns of a roster line for a lab not in the inventory and of labs without a line, lists them, students first', async () => {
    const out = await testDir('rlg-classfiles-');
    const roster = join(out, 'roster.csv');
    await writeFile(roster, `lab,id,name\n${ALL.slice(1).map((lab, i) => `${lab},s${i},Student ${i}`).join('\n')}\nnc6,s99,Typo Person\n`);
    const run = await grade(out, '--all', '--roster', roster);
    expect(run.stderr).toMatch(/warning: \S*roster\.csv:9: lab nc6 is not in the inventory/);
    expect(run.stderr).toMatch(/warning: no roster line for nc-000/);
    expect((await gradebookLabs(out)).at(-1)).toBe('nc-000');
    expect(await readFile(join(out, 'class.html'), 'utf8')).toMatch(/Roster lines for labs not in the inventory \(1\).*<code>nc6<\/code>/s);
  }, 60_000);
});
