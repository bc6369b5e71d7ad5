// One PostgreSQL course record shared by three shards: no merge, and `gradebook --store` gives the
// gradebook of one run. A server that cannot be reached stops a class before any grading.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../grader/class-report/csv-records.ts';
import { runCli } from '../support/run-cli.ts';
import { startPostgres, type PostgresServer } from '../support/postgres-server.ts';
import { startSimulatedClass, type SimulatedClass } from '../support/simulated-class.ts';
import { testDir } from '../support/test-files.ts';

let sim: SimulatedClass;
let server: PostgresServer;
beforeAll(async () => {
  [sim, server] = await Promise.all([startSimulatedClass(6, 'pg'), startPostgres()]);
}, 120_000);
afterAll(async () => {
  server?.stop();
  await sim?.stop();
});

const env = (store?: string) => ({ GRADER_SSH_KEY: sim.keyPath, GRADER_KNOWN_HOSTS: sim.knownHostsPath, GRADER_SSH_PASSWORD: undefined, SSH_AUTH_SOCK: undefined, GRADER_STORE: store });
const grade = (out: string, store: string | undefined, ...args: string[]) => runCli(['--inventory', sim.inventoryPath, '--out', out, '--only', 'ip-forward,routes', ...args], env(store));

// The gradebook without its graded_at column (when each lab was graded differs between two runs).
async function gradebookWithoutTimes(file: string): Promise<string[][]> {
  const { records } = parseCsv(await readFile(file, 'utf8'));
  const at = records[0]!.fields.indexOf('graded_at');
  expect(at).toBeGreaterThan(0);
  return records.map((r) => r.fields.filter((_, i) => i !== at));
}

describe('a PostgreSQL course record', () => {
  it('three shards into one record give, through gradebook --store, the gradebook of one run, with no merge', async () => {
    const dir = await testDir('rlg-pg-shards-');
    const url = await server.createDatabase('three_shards');
    const roster = join(dir, 'roster.csv');
    await (await import('node:fs/promises')).writeFile(roster, `lab,id,name\n${sim.labs.map((l, i) => `${l.name},s${i},Student ${i}`).join('\n')}\n`);
    const shards = await Promise.all([1, 2, 3].map((i) => grade(join(dir, `shard${i}`), undefined, '--all', '--shard', `${i}/3`, '--store', url, ...(i === 1 ? ['--roster', roster] : []))));
    expect(shards.map((s) => s.code)).toEqual([0, 0, 0]);
    const single = await grade(join(dir, 'single'), undefined, '--all', '--roster', roster);
    expect(single.code).toBe(0);
    const drawn = await runCli(['gradebook', '--store', url, '--files', join(dir, 'from-postgres'), '--inventory', sim.inventoryPath], env());
    expect(drawn.code).toBe(0);
    expect(drawn.stdout).toMatch(/^6 labs from postgres:\/\/postgres@127\.0\.0\.1:\d+\/three_shards: 6 passed every check/m);
    expect(await gradebookWithoutTimes(join(dir, 'from-postgres', 'gradebook.csv'))).toEqual(await gradebookWithoutTimes(join(dir, 'single', 'gradebook.csv')));
    // GRADER_STORE names the record as --store does.
    const history = await runCli(['history', '--json'], env(url));
    expect(history.code).toBe(0);
    expect((JSON.parse(history.stdout) as Array<{ command: string }>).map((l) => l.command)).toEqual(Array(6).fill('shard'));
  }, 180_000);

  it('an unreachable server is a configuration error before any lab is graded', async () => {
    const out = await testDir('rlg-pg-down-');
    const run = await grade(out, undefined, '--all', '--store', 'postgres://grader:s3cret@127.0.0.1:1/course');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/course record postgres:\/\/grader:\*\*\*@127\.0\.0\.1:1\/course: PostgreSQL cannot be reached \(ECONNREFUSED\)/);
    expect(run.stderr + run.stdout).not.toContain('s3cret');
    expect((await readdir(out)).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 60_000);
});
