// RemoteHost.run against a real OpenSSH server on loopback.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import type { RemoteHost } from '../../grader/transport/remote-host.ts';
import { sh } from '../../grader/transport/shell-quote.ts';
import { connectHost, type HostConnectOptions } from '../../grader/transport/ssh-host.ts';
import { noisyUser, RC_NOISE, shellPath, startSshd, type TestSshd } from '../support/sshd.ts';
import { Closer, endpointOf, processRunning, tempKnownHostsPath, uniqueTag } from '../support/transport.ts';

// Every login shell students have; .ci/run installs zsh and fish, so a missing one fails here.
const NOISY_SHELLS = ['bash', 'zsh', 'fish'] as const;

let sshd: TestSshd;
let knownHosts: { path: string; cleanup(): Promise<void> };
const closer = new Closer();

beforeAll(async () => {
  const missing = NOISY_SHELLS.filter((shell) => !shellPath(shell));
  if (missing.length > 0) throw new Error(`login shells not installed: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`);
  sshd = await startSshd({ users: NOISY_SHELLS.map(noisyUser) });
  knownHosts = await tempKnownHostsPath();
});
afterEach(() => closer.closeAll());
afterAll(async () => {
  await sshd?.stop();
  await knownHosts?.cleanup();
});

async function connect(overrides: Partial<HostConnectOptions> = {}): Promise<RemoteHost> {
  const options: HostConnectOptions = {
    role: 'vm1',
    endpoint: endpointOf(sshd),
    credentials: { privateKey: sshd.clientKey },
    knownHosts: await KnownHosts.load(knownHosts.path),
    hostKeyPolicy: 'accept-new',
    readyTimeoutMs: 20_000,
    ...overrides,
  };
  return closer.add(await connectHost(options));
}

describe('run', () => {
  it('returns stdout, stderr and the exit code, with the command as written', async () => {
    const host = await connect();
    const command = sh`printf '%s\n' ${"it's $HOME"}; echo to-stderr >&2; exit 3`;
    const result = await host.run(command);
    expect(result).toMatchObject({ command, exitCode: 3, stdout: "it's $HOME\n", stderr: 'to-stderr\n', timedOut: false, truncated: false });
    expect(host.target).toBe(`127.0.0.1:${sshd.port}`);
  });

  it('resolves a failing command as data, and reports death by signal', async () => {
    const host = await connect();
    expect(await host.run('ls /nonexistent-dir')).toMatchObject({ exitCode: 2, stdout: '', timedOut: false });
    expect(await host.run('kill -TERM $$')).toMatchObject({ exitCode: 143, signal: 'SIGTERM', timedOut: false });
  });

  it('gives commands that read stdin an immediate end of file', async () => {
    const host = await connect();
    expect(await host.run('cat; echo done', { timeoutMs: 30_000 })).toMatchObject({ exitCode: 0, stdout: 'done\n', timedOut: false });
  });

  it('decodes UTF-8', async () => {
    const host = await connect();
    expect((await host.run(sh`printf '%s' ${'Grüße → ✓'}`)).stdout).toBe('Grüße → ✓');
  });

  it.each(NOISY_SHELLS)('drops what the %s rc file prints, and runs the command under sh', async (shell) => {
    const host = await connect({ endpoint: endpointOf(sshd, `noisy-${shell}`) });
    const result = await host.run('echo out; echo err >&2; [ -n "$BASH_VERSION$ZSH_VERSION$FISH_VERSION" ] && echo not-sh || echo sh');
    expect(result).toMatchObject({ exitCode: 0, stdout: 'out\nsh\n', stderr: 'err\n' });
    expect(result.stdout + result.stderr).not.toContain(RC_NOISE.stdout);
  });

  it('kills the remote process at the deadline', async () => {
    const host = await connect();
    const sleeper = `sleep 1000.${uniqueTag()}`;
    const pending = host.run(`${sleeper}; echo never`, { timeoutMs: 2_000 });
    await expect.poll(() => processRunning(sleeper), { timeout: 20_000, interval: 100 }).toBe(true);
    const result = await pending;
    expect(result).toMatchObject({ timedOut: true, exitCode: null, stdout: '' });
    expect(result.durationMs).toBeGreaterThanOrEqual(2_000);
    await expect.poll(() => processRunning(sleeper), { timeout: 20_000, interval: 200 }).toBe(false);
  });

  it('keeps the first maxOutputBytes of a flood, stops reading, and the remote writer dies', async () => {
    const host = await connect();
    const tag = `flood-${uniqueTag()}`;
    const result = await host.run(sh`yes ${tag}`, { maxOutputBytes: 65_536, timeoutMs: 60_000 });
    expect(result.truncated).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(Buffer.byteLength(result.stdout)).toBe(65_536);
    expect(result.stdout.startsWith(`${tag}\n${tag}\n`)).toBe(true);
    await expect.poll(() => processRunning(`yes ${tag}`), { timeout: 20_000, interval: 200 }).toBe(false);
    const onStderr = await host.run(sh`yes ${tag} >&2`, { maxOutputBytes: 1_000, timeoutMs: 60_000 });
    expect(onStderr).toMatchObject({ truncated: true, stdout: '' });
    expect(onStderr.stderr).toHaveLength(1_000);
  });

  it('queues commands beyond the channel limit: 12 at once on one connection all succeed', async () => {
    const host = await connect();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => host.run(`sleep 0.3; echo ${i}`, { timeoutMs: 60_000 })));
    expect(results.map((r) => [r.exitCode, r.stdout])).toEqual(Array.from({ length: 12 }, (_, i) => [0, `${i}\n`]));
  });

  it('close() is idempotent; commands after it, or cut short by it, reject with "closed"', async () => {
    const host = await connect();
    const running = host.run('sleep 30', { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Promise.all([host.close(), host.close()]);
    await expect(running).rejects.toMatchObject({ name: 'HostUnavailableError', role: 'vm1', failure: 'closed' });
    await expect(host.run('true')).rejects.toMatchObject({ failure: 'closed' });
    await host.close();
  });
});
