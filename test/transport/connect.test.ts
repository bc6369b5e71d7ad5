// connectHost's failures and host key policies, against OpenSSH and misbehaving ssh2 servers.
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatKnownHostsLine, KnownHosts, parseKnownHosts, type HostKeyPolicy } from '../../grader/transport/known-hosts.ts';
import { HostUnavailableError } from '../../grader/transport/remote-host.ts';
import { connectHost, type HostConnectOptions } from '../../grader/transport/ssh-host.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { ed25519KeyPair } from '../support/ssh-keys.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';
import { Closer, endpointOf, tempKnownHostsPath } from '../support/transport.ts';

const PASSWORD = 'correct-horse-battery';
let sshd: TestSshd;
let knownHostsPath: string;
let cleanupKnownHosts: () => Promise<void>;
const closer = new Closer();

beforeAll(async () => {
  sshd = await startSshd({ users: [{ name: 'pw-user', shell: '/bin/sh', password: PASSWORD }] });
});
beforeEach(async () => {
  ({ path: knownHostsPath, cleanup: cleanupKnownHosts } = await tempKnownHostsPath());
});
afterEach(async () => {
  await closer.closeAll();
  await cleanupKnownHosts();
});
afterAll(() => sshd?.stop());

async function connect(server: { host: string; port: number }, overrides: Partial<HostConnectOptions> = {}) {
  const options: HostConnectOptions = {
    role: 'router',
    endpoint: endpointOf(server),
    credentials: { privateKey: sshd.clientKey },
    knownHosts: await KnownHosts.load(knownHostsPath),
    hostKeyPolicy: 'accept-new',
    readyTimeoutMs: 20_000,
    ...overrides,
  };
  return closer.add(await connectHost(options));
}

async function connectError(server: { host: string; port: number }, overrides: Partial<HostConnectOptions> = {}): Promise<HostUnavailableError> {
  const error: unknown = await connect(server, overrides).then(
    () => new Error('connected'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostUnavailableError);
  return error as HostUnavailableError;
}

async function writeKnownHosts(text: string): Promise<void> {
  await mkdir(dirname(knownHostsPath), { recursive: true });
  await writeFile(knownHostsPath, text);
}

describe('authentication', () => {
  it('logs in with a password to a host whose key is already known', async () => {
    await writeKnownHosts(formatKnownHostsLine('127.0.0.1', sshd.port, sshd.hostKeyType, sshd.hostKeyBlob));
    const host = await connect(sshd, { endpoint: endpointOf(sshd, 'pw-user'), credentials: { password: PASSWORD } });
    expect((await host.run('echo in')).stdout).toBe('in\n');
  });

  it.each(['accept-new', 'off'] as const)('never sends the password to a host whose key is not already known (%s), and says so', async (policy) => {
    const error = await connectError(sshd, { endpoint: endpointOf(sshd, 'pw-user'), hostKeyPolicy: policy, credentials: { password: PASSWORD, origin: { password: 'GRADER_SSH_PASSWORD' } } });
    expect(error).toMatchObject({ failure: 'auth' });
    expect(error.message).toMatch(/tried: password \(not sent: the host key of 127\.0\.0\.1:\d+ was not already known and trusted/);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('accept-new never records the key of a host that refused the key, so the next run withholds the password too', async () => {
    const strangerKey = Buffer.from(ed25519KeyPair().private);
    const credentials = { privateKey: strangerKey, password: PASSWORD, origin: { password: 'GRADER_SSH_PASSWORD' } };
    const options = { endpoint: endpointOf(sshd, 'pw-user'), hostKeyPolicy: 'accept-new', credentials } as const;
    const first = await connectError(sshd, options);
    expect(first.message).toMatch(/password \(not sent: the host key/);
    expect(existsSync(knownHostsPath)).toBe(false);
    // The password is right: had it been sent, this second run would have logged in.
    const second = await connectError(sshd, options);
    expect(second).toMatchObject({ failure: 'auth' });
    expect(second.message).toMatch(/password \(not sent: the host key/);
  });

  it('accept-new records a key only after the grader authenticated, and marks it as recorded on first use', async () => {
    await connect(sshd, { hostKeyPolicy: 'accept-new' });
    const recorded = parseKnownHosts(await readFile(knownHostsPath, 'utf8'));
    expect(recorded).toMatchObject([{ keyType: sshd.hostKeyType, firstUse: true }]);
    // Such a key lets the grader in with its key, but is still not enough to send the password.
    const error = await connectError(sshd, { endpoint: endpointOf(sshd, 'pw-user'), hostKeyPolicy: 'strict', credentials: { password: PASSWORD } });
    expect(error.message).toMatch(/password \(not sent: the host key .* was recorded on first use/);
  });

  it('refused credentials fail with "auth", naming what was tried and never the secrets', async () => {
    await writeKnownHosts(formatKnownHostsLine('127.0.0.1', sshd.port, sshd.hostKeyType, sshd.hostKeyBlob));
    const strangerKey = Buffer.from(ed25519KeyPair().private);
    const error = await connectError(sshd, { credentials: { privateKey: strangerKey, password: 'hunter2-secret', origin: { key: '/keys/stranger from GRADER_SSH_KEY', password: 'GRADER_SSH_PASSWORD' } } });
    expect(error).toMatchObject({ role: 'router', failure: 'auth' });
    expect(error.message).toBe(
      `authentication refused for root@127.0.0.1:${sshd.port} (tried: publickey (/keys/stranger from GRADER_SSH_KEY, ssh-ed25519, not encrypted), password (GRADER_SSH_PASSWORD))`,
    );
  });

  it("an agent with more keys than sshd's MaxAuthTries: says so, with the agent's number of keys, and the lab's own key still gets in", async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/rlg-agent-`);
    const socket = `${dir}/agent.sock`;
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < 8; i++) {
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', `${dir}/k${i}`]);
        execFileSync('ssh-add', ['-q', `${dir}/k${i}`], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      }
      await writeKnownHosts(formatKnownHostsLine('127.0.0.1', sshd.port, sshd.hostKeyType, sshd.hostKeyBlob));
      const error = await connectError(sshd, { credentials: { agent: socket } });
      expect(error).toMatchObject({ failure: 'auth' });
      expect(error.message).toMatch(/too many authentication failures \(the server's MaxAuthTries.*tried: publickey \(agent at .*agent\.sock, 8 keys\)\)\. Offer one key/);
      // The lab's key goes first, so the same agent cannot crowd it out.
      const host = await connect(sshd, { credentials: { privateKey: sshd.clientKey, agent: socket } });
      expect((await host.run('echo in')).stdout).toBe('in\n');
    } finally {
      agent.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a server that refuses everyone fails with "auth"', async () => {
    const server = await startFaultServer('refuse-auth');
    try {
      expect(await connectError(server)).toMatchObject({ failure: 'auth' });
    } finally {
      await server.stop();
    }
  });
});

describe('reaching the server', () => {
  it('a closed port fails at once with "unreachable"', async () => {
    const server = await startFaultServer('silent');
    await server.stop(); // the port is now closed
    const error = await connectError(server);
    expect(error).toMatchObject({ failure: 'unreachable', message: `cannot reach root@127.0.0.1:${server.port}: connection refused (ECONNREFUSED)` });
  });

  it('a server that never sends its banner fails with "timeout" after readyTimeoutMs', async () => {
    const server = await startFaultServer('silent');
    try {
      const started = Date.now();
      const error = await connectError(server, { readyTimeoutMs: 1_500 });
      expect(error).toMatchObject({ failure: 'timeout', message: `connected, but no SSH handshake with root@127.0.0.1:${server.port} within 1.5 s` });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    } finally {
      await server.stop();
    }
  });
});

describe('host keys', () => {
  const recordedLine = () => formatKnownHostsLine('127.0.0.1', sshd.port, sshd.hostKeyType, sshd.hostKeyBlob, { firstUse: true });

  it('accept-new records the key as [host]:port, and the next connection matches it under strict', async () => {
    await connect(sshd, { hostKeyPolicy: 'accept-new' });
    expect(await readFile(knownHostsPath, 'utf8')).toBe(recordedLine());
    const again = await connect(sshd, { hostKeyPolicy: 'strict' });
    expect((await again.run('echo ok')).stdout).toBe('ok\n');
    expect(await readFile(knownHostsPath, 'utf8')).toBe(recordedLine());
  });

  it('three hosts connecting at once under accept-new each get one whole line', async () => {
    const servers = await Promise.all([startFaultServer('well-behaved'), startFaultServer('well-behaved')]);
    try {
      await Promise.all([sshd, ...servers].map((server) => connect(server)));
      const lines = (await readFile(knownHostsPath, 'utf8')).trimEnd().split('\n');
      expect(lines.sort()).toEqual(
        [recordedLine(), ...servers.map((s) => formatKnownHostsLine(s.host, s.port, 'ssh-ed25519', s.hostKeyBlob, { firstUse: true }))].map((l) => l.trimEnd()).sort(),
      );
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it('strict refuses a host that is not in known_hosts', async () => {
    const error = await connectError(sshd, { hostKeyPolicy: 'strict' });
    expect(error.failure).toBe('host-key');
    expect(error.message).toContain(`127.0.0.1:${sshd.port} is not in ${knownHostsPath}`);
    expect(error.message).toContain(sshd.fingerprint);
  });

  it.each(['strict', 'accept-new'] as HostKeyPolicy[])('%s refuses another key, naming both fingerprints and the line', async (policy) => {
    let impostor: FaultServer | undefined;
    try {
      impostor = await startFaultServer('well-behaved');
      await writeKnownHosts(`# lab\n${formatKnownHostsLine('127.0.0.1', impostor.port, sshd.hostKeyType, sshd.hostKeyBlob)}`);
      const error = await connectError(impostor, { hostKeyPolicy: policy });
      expect(error.failure).toBe('host-key');
      expect(error.message).toContain(`127.0.0.1:${impostor.port}`);
      expect(error.message).toContain(`presented ssh-ed25519 ${impostor.fingerprint}`);
      expect(error.message).toContain(`expected ssh-ed25519 ${sshd.fingerprint} (${knownHostsPath}:2)`);
      expect(impostor.commands).toEqual([]);
    } finally {
      await impostor?.stop();
    }
  });

  it('off accepts any key and records nothing', async () => {
    const host = await connect(sshd, { hostKeyPolicy: 'off' });
    expect((await host.run('echo ok')).stdout).toBe('ok\n');
    expect(existsSync(knownHostsPath)).toBe(false);
  });
});
