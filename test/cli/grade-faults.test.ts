// The grader against a real reference lab when something is wrong on the grader's side of the
// wire: a wrong key, a changed host key, a jump host, a subset of checks.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { runCli } from '../support/run-cli.ts';
import { suiteLab } from '../support/suite-lab.ts';

const suite = suiteLab('faults', 'good', 'rlg-faults-');

// A copy of the lab's inventory without its own key, so that GRADER_SSH_KEY decides.
async function inventoryWithoutOwnKey(): Promise<string> {
  const path = join(suite.dir, 'no-own-key.yaml');
  await writeFile(path, (await readFile(suite.lab.inventoryPath, 'utf8')).replace(/^\s*credentials:.*\n/m, ''));
  return path;
}

async function grade(args: string[], env: NodeJS.ProcessEnv = {}, inventory = suite.lab.inventoryPath) {
  const out = join(suite.dir, String(Math.random()).slice(2));
  const run = await runCli(['--host', suite.lab.name, '--inventory', inventory, '--out', out, ...args], env);
  const report = JSON.parse(await readFile(join(out, `${suite.lab.name}.json`), 'utf8')) as LabReport;
  return { run, report, statuses: Object.fromEntries(report.results.map((r) => [`${r.id} ${r.host}`, r.status])) };
}

describe('grading a real lab', () => {
  it('runs only the checks named by --only, one result per host', async () => {
    const { run, report, statuses } = await grade(['--only', 'ip-forward,routes']);
    expect(run.code).toBe(0);
    expect(statuses).toEqual({ 'ip-forward router': 'pass', 'routes vm1': 'pass', 'routes vm3': 'pass' });
    expect(report.score).toBe(4);
    expect(run.stdout).toMatch(/Score: 4\/4 \(3 passed, 0 failed, 0 errors\)/);
  });

  it('with a key the VMs refuse: every result an error saying so, reports still written, exit 1', async () => {
    const key = join(suite.dir, 'stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const { run, report } = await grade(['--only', 'ip-forward,ping'], { GRADER_SSH_KEY: key, GRADER_KNOWN_HOSTS: suite.lab.knownHostsPath }, await inventoryWithoutOwnKey());
    expect(run.code).toBe(1);
    expect(report.results.map((r) => r.status)).toEqual(['error', 'error']);
    // Which key was offered: its file, type and whether it is encrypted.
    expect(report.results[0]?.message).toMatch(/authentication refused for root@10\.122\.\d+\.\d+:22 \(tried: publickey \(\S+stranger from GRADER_SSH_KEY, ssh-ed25519, not encrypted\)/);
    expect(report.hosts.every((h) => !h.reachable)).toBe(true);
  });

  it("uses the lab's own key (the inventory's credentials) whatever GRADER_SSH_KEY says", async () => {
    const { run } = await grade(['--only', 'ip-forward'], { GRADER_SSH_KEY: join(suite.dir, 'stranger') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it("refuses a VM whose host key changed, naming both fingerprints, and grades the others", async () => {
    const knownHosts = join(suite.dir, 'known_hosts');
    const lines = (await readFile(suite.lab.knownHostsPath, 'utf8')).trim().split('\n');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(suite.dir, 'impostor')]);
    const impostor = (await readFile(join(suite.dir, 'impostor.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    const vm3 = suite.lab.addresses.vm3.management;
    await writeFile(knownHosts, `${lines.map((l) => (l.startsWith(`${vm3} `) ? `${vm3} ${impostor}` : l)).join('\n')}\n`);
    const { run, statuses, report } = await grade(['--only', 'ip-forward,virtio,ping', '--known-hosts', knownHosts]);
    expect(run.code).toBe(1);
    expect(statuses).toEqual({ 'virtio vm1': 'fail', 'virtio router': 'fail', 'virtio vm3': 'error', 'ip-forward router': 'pass', 'ping vm1': 'error' });
    const vm3Error = report.results.find((r) => r.id === 'virtio' && r.host === 'vm3')?.message ?? '';
    expect(vm3Error).toMatch(/SHA256:[A-Za-z0-9+/]{43}.*SHA256:[A-Za-z0-9+/]{43}/);
    expect(await readFile(knownHosts, 'utf8')).toContain(impostor);
  });

  it('reaches the VMs through a jump host', async () => {
    const inventory = join(suite.dir, 'jump.yaml');
    const original = await readFile(suite.lab.inventoryPath, 'utf8');
    await writeFile(inventory, `${original.trimEnd()}\n    jump: { address: ${suite.lab.addresses.vm1.management} }\n`);
    await writeFile(join(suite.dir, '.env'), await readFile(suite.lab.envPath, 'utf8'));
    const out = join(suite.dir, 'jump-out');
    const run = await runCli(['--host', suite.lab.name, '--inventory', inventory, '--out', out, '--only', 'ip-forward,routes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(join(out, `${suite.lab.name}.json`), 'utf8')) as LabReport;
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });
});

describe('secrets', () => {
  it('never appear in a report, a log line or an error message', async () => {
    const secretDir = join(suite.dir, 'planted-keypath-Q7XK');
    const { mkdir, copyFile, readdir } = await import('node:fs/promises');
    await mkdir(secretDir);
    const goodKey = join(secretDir, 'id');
    await copyFile(suite.lab.keyPath, goodKey);
    const strangerKey = join(secretDir, 'stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'planted-passphrase-M2VR', '-f', strangerKey]);
    const planted = ['planted-password-Z9PL', 'planted-passphrase-M2VR', 'planted-dotenv-W4TB'];
    // A .env beside a copy of the inventory, holding a secret the grader reads but must not print.
    const inventory = join(suite.dir, 'secrets.yaml');
    await writeFile(inventory, await readFile(await inventoryWithoutOwnKey(), 'utf8'));
    await writeFile(join(suite.dir, '.env'), `GRADER_SSH_PASSWORD=planted-dotenv-W4TB\nGRADER_KNOWN_HOSTS=${suite.lab.knownHostsPath}\n`);
    const out = join(suite.dir, 'secrets-out');
    const runs = [
      // accepted key, with a password and a passphrase that are never needed
      { GRADER_SSH_KEY: goodKey, GRADER_SSH_PASSWORD: 'planted-password-Z9PL', GRADER_SSH_KEY_PASSPHRASE: 'planted-passphrase-M2VR' },
      // refused key, then the password from .env: authentication refused everywhere
      { GRADER_SSH_KEY: strangerKey, GRADER_SSH_KEY_PASSPHRASE: 'planted-passphrase-M2VR', GRADER_SSH_PASSWORD: undefined },
      // the passphrase does not decrypt the key: a configuration error
      { GRADER_SSH_KEY: strangerKey, GRADER_SSH_KEY_PASSPHRASE: 'planted-password-Z9PL', GRADER_SSH_PASSWORD: undefined },
    ];
    const codes: Array<number | null> = [];
    let text = '';
    for (const env of runs) {
      const run = await runCli(['--host', suite.lab.name, '--inventory', inventory, '--out', out, '--only', 'ip-forward,routes'], env);
      codes.push(run.code);
      text += run.stdout + run.stderr;
      for (const file of await readdir(out).catch(() => [])) text += await readFile(join(out, file), 'utf8');
    }
    expect(codes).toEqual([0, 1, 2]);
    expect(text).toMatch(/authentication refused/);
    for (const secret of planted) expect(text).not.toContain(secret);
  });
});
