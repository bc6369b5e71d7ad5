import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { testDir } from '../support/test-files.ts';

// Bad input never reaches a VM: one line per problem on stderr, exit 2, no stack trace.
function expectUsageError(run: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('the command line', () => {
  it('prints help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: npm run grade -- --host NAME/);
    expect(run.stdout).toMatch(/Exit codes: 0/);
  });

  it('lists the checks without connecting anywhere', async () => {
    const run = await runCli(['--list']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['subnets', 'virtio', 'ip-forward', 'routes', 'ping', 'traceroute', 'iperf', '']);
  });

  it('refuses an unknown flag', async () => {
    // In the grader's words with the option meant, not Node's parseArgs text (issue 27, rough edge 3).
    expectUsageError(await runCli(['--hots', 'lab42']), /^router-lab-grader: unknown option '--hots' \(did you mean '--host'\?\)\n$/);
    expectUsageError(await runCli(['merge', 'shard1', '--out', 'class', '--excell']), /^router-lab-grader: merge: unknown option '--excell' \(did you mean '--excel'\?\)\n$/);
  });

  it('requires --host', async () => {
    expectUsageError(await runCli([]), /--host NAME or --all is required/);
  });

  it('refuses a mistyped IPv4 address given as the lab, without looking it up', async () => {
    const run = await runCli(['--host', '10.122.4.1111', '--inventory', 'fixtures/inventories/two-labs.yaml'], {}, undefined, { offline: true });
    expectUsageError(run, /unknown lab '10\.122\.4\.1111'.*'10\.122\.4\.1111' is not an IPv4 address .*a typo\?/);
  });

  it('refuses a malformed --hypervisor, --jump or --user without it, and a bad --measure-concurrency', async () => {
    expectUsageError(await runCli(['--hypervisor', 'admin@bad host']), /^router-lab-grader: --hypervisor must be 'local' or \[user@\]host\[:port\] \(got 'admin@bad host'\)$/m);
    expectUsageError(await runCli(['--host', 'lab42', '--jump', 'gate.example.edu']), /--jump goes with --hypervisor/);
    expectUsageError(await runCli(['--host', 'lab42', '--user', 'student']), /--user goes with --hypervisor/);
    expectUsageError(await runCli(['--hypervisor', 'local', '--measure-concurrency', '0']), /--measure-concurrency must be a whole number from 1 to 64/);
  });

  it('names the unknown lab and the known ones', async () => {
    const run = await runCli(['--host', 'lab44', '--inventory', 'fixtures/inventories/two-labs.yaml'], {}, undefined, { offline: true });
    expectUsageError(run, /unknown lab 'lab44': fixtures\/inventories\/two-labs.yaml has lab42, lab43, and 'lab44' does not resolve as a host/);
  });

  it('says the default inventory is missing and the name is no host', async () => {
    const dir = await testDir('rlg-cli-');
    const run = await runCli(['--host', 'lab42'], {}, dir, { offline: true });
    expectUsageError(run, /inventory labs.yaml cannot be read: no such file, and 'lab42' does not resolve as a host to grade through its hypervisor/);
  });

  it('without an inventory, grades a lab name that is a host through it as the hypervisor', async () => {
    const dir = await testDir('rlg-cli-');
    const key = join(dir, 'id');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const run = await runCli(['--host', 'localhost', '--only', 'ip-forward', '--out', dir], { GRADER_SSH_KEY: key }, dir, { offline: true });
    expect(run.code).toBe(1);
    const report = JSON.parse(await readFile(join(dir, 'localhost.json'), 'utf8'));
    expect(report.results[0]).toMatchObject({ id: 'ip-forward', status: 'error' });
    expect(report.results[0].message).toMatch(/the hypervisor \S+@localhost could not be reached/);
  });

  it('points at the broken check file line', async () => {
    const run = await runCli(['--list', '--checks', 'fixtures/check-files/bad-params.yaml']);
    expectUsageError(run, /bad-params\.yaml:8:\d+: \/checks\/0\/params\/floorMbps: must be number/);
  });

  it('refuses --only with an id the check file lacks', async () => {
    expectUsageError(await runCli(['--list', '--only', 'ping,pong']), /--only: unknown check id 'pong'/);
  });

  it('refuses an unreadable key, naming its path and the reason (a path is not a secret)', async () => {
    const dir = await testDir('rlg-cli-');
    const missing = join(dir, 'no-such-key');
    const run = await runCli(['--host', 'lab42', '--inventory', 'fixtures/inventories/two-labs.yaml'], { GRADER_SSH_KEY: missing });
    expectUsageError(run, new RegExp(`the private key ${missing} named by GRADER_SSH_KEY cannot be read: no such file`));
    const directory = await runCli(['--host', 'lab42', '--inventory', 'fixtures/inventories/two-labs.yaml'], { GRADER_SSH_KEY: dir });
    expectUsageError(directory, /named by GRADER_SSH_KEY cannot be read: it is a directory/);
  });

  it('refuses an encrypted key without its passphrase, and a wrong passphrase', async () => {
    const dir = await testDir('rlg-cli-');
    const key = join(dir, 'id');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', key]);
    const args = ['--host', 'lab42', '--inventory', 'fixtures/inventories/two-labs.yaml'];
    expectUsageError(await runCli(args, { GRADER_SSH_KEY: key, GRADER_SSH_KEY_PASSPHRASE: '' }), /encrypted and GRADER_SSH_KEY_PASSPHRASE is not set/);
    const wrong = await runCli(args, { GRADER_SSH_KEY: key, GRADER_SSH_KEY_PASSPHRASE: 'battery staple' });
    expectUsageError(wrong, /GRADER_SSH_KEY_PASSPHRASE does not decrypt it/);
    expect(wrong.stderr).not.toContain('battery staple');
  });

  it('says a public key is not the private one, and how to rewrite a key in a format ssh2 cannot read', async () => {
    const dir = await testDir('rlg-cli-');
    const key = join(dir, 'id');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-m', 'PKCS8', '-f', key]);
    const args = ['--host', 'lab42', '--inventory', 'fixtures/inventories/two-labs.yaml'];
    expectUsageError(await runCli(args, { GRADER_SSH_KEY: `${key}.pub` }), /cannot be used: it is a public key; name the private key/);
    const pkcs8 = await runCli(args, { GRADER_SSH_KEY: key });
    expectUsageError(pkcs8, new RegExp(`cannot be used: ssh2 cannot read its format or cipher .*\\\`ssh-keygen -p -Z aes256-ctr -f ${key}\\\` rewrites it`));
    // The command it prints, with the (empty) passphrases it asks for: then the key is read, and
    // the run goes on to the lab (unreachable here: offline).
    execFileSync('ssh-keygen', ['-q', '-p', '-Z', 'aes256-ctr', '-f', key, '-P', '', '-N', '']);
    const rewritten = await runCli(args, { GRADER_SSH_KEY: key }, undefined, { offline: true });
    expect(rewritten.stderr).not.toMatch(/private key/);
    expect(rewritten.code).not.toBe(2);
  });

  it('reads the key from a .env beside the inventory', async () => {
    const dir = await testDir('rlg-cli-');
    await writeFile(join(dir, 'labs.yaml'), 'labs:\n  a:\n    vm1: { address: 127.0.0.1 }\n    router: { address: 127.0.0.1 }\n    vm3: { address: 127.0.0.1 }\n');
    await writeFile(join(dir, '.env'), `GRADER_SSH_KEY=${join(dir, 'missing-key')}\n`);
    const run = await runCli(['--host', 'a', '--inventory', join(dir, 'labs.yaml')], { GRADER_SSH_KEY: undefined });
    expectUsageError(run, /the private key \S+missing-key named by GRADER_SSH_KEY cannot be read: no such file/);
  });
});
