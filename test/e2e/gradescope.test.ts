// Gradescope grades one submission per container and reads /autograder/results/results.json:
// examples/gradescope/run_autograder, run as Gradescope runs it (its root moved to a temporary
// directory), grades a reference lab from the addresses a student submits.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUp, type LabHandle } from '../../reference-lab/api.ts';
import { REPO, runCli, runCommand } from '../support/run-cli.ts';

let lab: LabHandle;
let dir: string;

beforeAll(async () => {
  lab = await labUp({ name: 'gs-one', variant: 'no-forwarding' });
  dir = await mkdtemp(join(tmpdir(), 'rlg-gradescope-'));
}, 120_000);
afterAll(async () => {
  await lab?.down();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Results {
  score: number;
  output: string;
  tests: Array<{ name: string; score: number; max_score: number; status: string }>;
}

async function autograde(name: string, submission: string): Promise<Results> {
  const root = join(dir, name);
  await mkdir(join(root, 'submission'), { recursive: true });
  await writeFile(join(root, 'submission', 'address.txt'), submission);
  const run = await runCommand([join(REPO, 'examples/gradescope/run_autograder')], {
    AUTOGRADER_ROOT: root,
    GRADER_SOURCE: REPO,
    GRADER_SSH_KEY: lab.keyPath,
    GRADER_KNOWN_HOSTS: lab.knownHostsPath,
    GRADER_ARGS: '--only ip-forward,routes',
  });
  expect(run.code).toBe(0);
  return JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8')) as Results;
}

describe('examples/gradescope/run_autograder', () => {
  it("grades the submitted lab into results.json: the router's forwarding is off", async () => {
    const a = lab.addresses;
    const results = await autograde('good-submission', `vm1 ${a.vm1.management}\nrouter ${a.router.management}\nvm3 ${a.vm3.management}\n`);
    expect(results.tests.map((t) => [t.name, t.status, t.score])).toEqual([
      ['ip-forward router', 'failed', 0],
      ['routes vm1', 'passed', 1],
      ['routes vm3', 'passed', 1],
    ]);
    expect(results.score).toBe(2);
  });

  it('answers a submission it cannot read with a results.json saying why', async () => {
    const results = await autograde('bad-submission', 'vm1 $(reboot)\n');
    expect(results).toMatchObject({ score: 0, tests: [] });
    expect(results.output).toMatch(/'vm1 \$\(reboot\)' is not a host name or an IPv4 address/);
  });
});

describe('--gradescope with one lab', () => {
  it('writes DIR/gradescope/NAME/results.json, or the --gradescope-out path', async () => {
    const out = join(dir, 'one');
    const run = await runCli(['--host', lab.name, '--inventory', lab.inventoryPath, '--out', out, '--only', 'ip-forward', '--gradescope']);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(await readFile(join(out, 'gradescope', lab.name, 'results.json'), 'utf8'))).toMatchObject({ score: 0, tests: [{ name: 'ip-forward router', status: 'failed' }] });
    const path = join(dir, 'autograder', 'results', 'results.json');
    await runCli(['--host', lab.name, '--inventory', lab.inventoryPath, '--out', out, '--only', 'ip-forward', '--gradescope-out', path]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ score: 0 });
  });

  it('refuses --gradescope-out for a class', async () => {
    const run = await runCli(['--all', '--inventory', lab.inventoryPath, '--gradescope-out', join(dir, 'x.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--gradescope-out is for one lab/);
  });
});
