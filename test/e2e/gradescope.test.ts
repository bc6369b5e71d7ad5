// Gradescope grades one submission per container and reads /autograder/results/results.json:
// examples/gradescope/run_autograder, run as Gradescope runs it (its root moved to a temporary
// directory), grades a reference lab from the addresses a student submits.
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, runCommand } from '../support/run-cli.ts';
import { suiteLab } from '../support/suite-lab.ts';

const suite = suiteLab('gs-one', 'no-forwarding', 'rlg-gradescope-');

interface Results {
  score: number;
  output: string;
  tests: Array<{ name: string; score: number; max_score: number; status: string }>;
}

async function autograde(name: string, submission: string): Promise<Results> {
  const root = join(suite.dir, name);
  await mkdir(join(root, 'submission'), { recursive: true });
  await writeFile(join(root, 'submission', 'address.txt'), submission);
  const run = await runCommand([join(REPO, 'examples/gradescope/run_autograder')], {
    AUTOGRADER_ROOT: root,
    GRADER_SOURCE: REPO,
    GRADER_SSH_KEY: suite.lab.keyPath,
    GRADER_KNOWN_HOSTS: suite.lab.knownHostsPath,
    GRADER_ARGS: '--only ip-forward,routes',
  });
  expect(run.code).toBe(0);
  return JSON.parse(await readFile(join(root, 'results', 'results.json'), 'utf8')) as Results;
}

describe('examples/gradescope/run_autograder', () => {
  it("grades the submitted lab into results.json: the router's forwarding is off", async () => {
    const a = suite.lab.addresses;
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
    const out = join(suite.dir, 'one');
    const run = await runCli(['--host', suite.lab.name, '--inventory', suite.lab.inventoryPath, '--out', out, '--only', 'ip-forward', '--gradescope']);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(await readFile(join(out, 'gradescope', suite.lab.name, 'results.json'), 'utf8'))).toMatchObject({ score: 0, tests: [{ name: 'ip-forward router', status: 'failed' }] });
    const path = join(suite.dir, 'autograder', 'results', 'results.json');
    await runCli(['--host', suite.lab.name, '--inventory', suite.lab.inventoryPath, '--out', out, '--only', 'ip-forward', '--gradescope-out', path]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ score: 0 });
  });

  it('never writes results.json through a link planted in the output folder', async () => {
    const out = join(suite.dir, 'planted');
    const elsewhere = join(suite.dir, 'elsewhere');
    await mkdir(join(out, 'gradescope'), { recursive: true });
    await mkdir(elsewhere, { recursive: true });
    await symlink(elsewhere, join(out, 'gradescope', suite.lab.name));
    const run = await runCli(['--host', suite.lab.name, '--inventory', suite.lab.inventoryPath, '--out', out, '--only', 'ip-forward', '--gradescope']);
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/symbolic link inside the output folder|ELOOP/);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('refuses --gradescope-out for a class', async () => {
    const run = await runCli(['--all', '--inventory', suite.lab.inventoryPath, '--gradescope-out', join(suite.dir, 'x.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--gradescope-out is for one lab/);
  });
});
