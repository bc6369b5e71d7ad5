// A new instructor's first steps: `cp .env.example .env` (a key path that does not exist here),
// then `npm run demo` and the grade command `lab up` prints. Both must grade with the lab's own
// credentials, whatever `.env` lies in the working directory.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { labUp, type LabHandle } from '../../labs/netns/api.ts';
import { REPO, runCommand } from '../support/run-cli.ts';

let dir: string;
let lab: LabHandle | undefined;
// What .env.example becomes when copied without editing, plus a wrong known_hosts.
const BAD_ENV = 'GRADER_SSH_KEY=/home/you/.ssh/grader_ed25519\nGRADER_KNOWN_HOSTS=/nonexistent/known_hosts\nGRADER_SSH_PASSWORD=\n';
const noGraderVariables = { GRADER_SSH_KEY: undefined, GRADER_SSH_KEY_PASSPHRASE: undefined, GRADER_SSH_PASSWORD: undefined, GRADER_KNOWN_HOSTS: undefined, SSH_AUTH_SOCK: undefined };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlg-envprec-'));
  await writeFile(join(dir, '.env'), BAD_ENV);
});
afterAll(async () => {
  await lab?.down();
  await rm(dir, { recursive: true, force: true });
});

describe("a .env in the working directory that does not fit the lab", () => {
  it('npm run demo still grades the demo lab (reports where the user stands)', async () => {
    const run = await runCommand(['npm', '--prefix', REPO, 'run', 'demo'], { ...noGraderVariables, INIT_CWD: dir }, dir);
    expect(run.stderr).not.toMatch(/cannot be read|no SSH credentials/);
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'reports', 'demo.json'), 'utf8')) as LabReport;
    // Every VM reached with the lab's key: only virtio fails (veth NICs in namespaces).
    expect(report.hosts.every((h) => h.reachable)).toBe(true);
    expect(report.results.filter((r) => r.status !== 'pass').map((r) => r.id)).toEqual(['virtio', 'virtio', 'virtio']);
  }, 240_000);

  it('the grade command `lab up` prints still grades the lab, with GRADER_SSH_KEY even set to a wrong key', async () => {
    lab = await labUp({ name: 'envprec', variant: 'good' });
    // The printed command, run from a directory holding the bad .env: its inventory path made
    // absolute (it is relative to the repository, where the printed command is run).
    const args = lab.gradeCommand.replace(/^npm run grade -- /, '').split(' ');
    args[args.indexOf('--inventory') + 1] = lab.inventoryPath;
    const run = await runCommand(
      [process.execPath, join(REPO, 'bin/grade.mjs'), ...args, '--only', 'ip-forward,routes,ping'],
      { ...noGraderVariables, GRADER_SSH_KEY: '/home/you/.ssh/grader_ed25519', INIT_CWD: dir },
      dir,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Score: 6\/6/);
  }, 120_000);
});
