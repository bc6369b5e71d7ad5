// RemoteHost.run against ssh2 servers that misbehave once the connection is up.
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_REQUEST } from '../../grader/transport/command-wrapper.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { connectHost } from '../../grader/transport/ssh-host.ts';
import { startFaultServer, type FaultMode } from '../support/fault-server.ts';
import { ed25519KeyPair } from '../support/ssh-keys.ts';
import { Closer, endpointOf, tempKnownHostsPath } from '../support/transport.ts';

const closer = new Closer();
afterEach(() => closer.closeAll());

const CLIENT_KEY = Buffer.from(ed25519KeyPair().private);

async function connectTo(mode: FaultMode) {
  const server = await startFaultServer(mode);
  closer.add({ close: server.stop });
  const knownHosts = await tempKnownHostsPath();
  closer.add({ close: knownHosts.cleanup });
  const host = await connectHost({
    role: 'vm3',
    endpoint: endpointOf(server),
    // A key, not a password: no password goes to a server whose host key was unknown.
    credentials: { privateKey: CLIENT_KEY },
    knownHosts: await KnownHosts.load(knownHosts.path),
    hostKeyPolicy: 'accept-new',
    readyTimeoutMs: 20_000,
    // Command sessions are what these servers test: no witness channel opened ahead of need.
    witnessSpares: 0,
  });
  return { server, host: closer.add(host) };
}

describe('misbehaving servers', () => {
  it('opens a session, sends the command on it, and keeps all output when no marker comes back', async () => {
    const { server, host } = await connectTo('well-behaved');
    expect(await host.run('uname -a')).toMatchObject({ exitCode: 3, stdout: `ran: ${SESSION_REQUEST}\n`, stderr: 'warning\n', timedOut: false });
    // Only sessions are requested, never a command as such.
    expect(new Set(server.commands)).toEqual(new Set([SESSION_REQUEST]));
    expect(server.input.join('')).toMatch(/sh -c 'uname -a'/);
  });

  it('a command that never ends is given up at the client deadline: timedOut, exit code null', async () => {
    const { host } = await connectTo('hang-on-exec');
    const result = await host.run('sleep 1', { timeoutMs: 1_000 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, stdout: '', truncated: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(1_000);
  });

  it('a connection dropped mid-command rejects with "closed", and so does every later command', async () => {
    const { host } = await connectTo('drop-mid-command');
    await expect(host.run('long-job', { timeoutMs: 30_000 })).rejects.toMatchObject({ name: 'HostUnavailableError', role: 'vm3', failure: 'closed' });
    await expect(host.run('true')).rejects.toMatchObject({ failure: 'closed' });
  });

  it('a server that stops answering is noticed by keepalive: "closed" long before the command deadline', async () => {
    const { host } = await connectTo('freeze-on-exec');
    const started = Date.now();
    const error: unknown = await host.run('long-job', { timeoutMs: 300_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'HostUnavailableError', failure: 'closed' });
    expect((error as Error).message).toMatch(/was lost: Keepalive timeout$/);
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 150_000);

  it('an endless flood is cut at maxOutputBytes without waiting for its end', async () => {
    const { host } = await connectTo('flood');
    const result = await host.run('cat /dev/zero', { maxOutputBytes: 200_000, timeoutMs: 60_000 });
    expect(result).toMatchObject({ truncated: true, timedOut: false });
    expect(result.stdout).toHaveLength(200_000);
  });
});
