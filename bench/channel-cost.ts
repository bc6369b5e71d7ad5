// What one remote command costs, by way of running it: `tsx bench/channel-cost.ts MODE COUNT HOST
// KEY KNOWN_HOSTS` runs `true` COUNT times, one after another, on root@HOST and prints JSON
// { connectMs, perCommandMs[] }. The benchmark runs it as a child, measuring its CPU and the lab
// side's, so each mode's cost per command can be set beside the others.
//   openssh-connection  a new `ssh` (connection, key exchange, auth, one channel) per command
//   openssh-mux         one OpenSSH ControlMaster, a new channel per command (`ssh -S`)
//   ssh2-raw            one ssh2 connection, a bare `exec('true')` channel per command
//   grader              the grader's transport: connectHost, then remote.run('true') per command
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';
import { KnownHosts } from '../grader/transport/known-hosts.ts';
import { connectHost } from '../grader/transport/ssh-host.ts';

const execFileP = promisify(execFile);

export const CHANNEL_MODES = ['openssh-connection', 'openssh-mux', 'ssh2-raw', 'grader'] as const;
export type ChannelMode = (typeof CHANNEL_MODES)[number];

export interface ChannelCost {
  connectMs: number;
  perCommandMs: number[];
}

async function timed(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

async function openssh(count: number, host: string, key: string, known: string, mux: boolean): Promise<ChannelCost> {
  const dir = await mkdtemp(join(tmpdir(), 'rlg-bench-mux-'));
  const control = join(dir, 'ctl');
  const base = ['-i', key, '-o', `UserKnownHostsFile=${known}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR'];
  const muxArgs = mux ? ['-o', `ControlPath=${control}`] : [];
  let connectMs = 0;
  let master: ReturnType<typeof spawn> | undefined;
  try {
    if (mux) {
      const started = performance.now();
      master = spawn('ssh', [...base, '-o', `ControlPath=${control}`, '-M', '-N', `root@${host}`], { stdio: 'ignore' });
      for (;;) {
        const ok = await execFileP('ssh', [...base, ...muxArgs, '-O', 'check', `root@${host}`]).then(() => true, () => false);
        if (ok) break;
        if (performance.now() - started > 30_000) throw new Error('the ControlMaster did not come up');
        await sleep(10);
      }
      connectMs = performance.now() - started;
    }
    const perCommandMs: number[] = [];
    for (let i = 0; i < count; i++) perCommandMs.push(await timed(() => execFileP('ssh', [...base, ...muxArgs, `root@${host}`, 'true'])));
    return { connectMs, perCommandMs };
  } finally {
    if (master) {
      await execFileP('ssh', [...base, ...muxArgs, '-O', 'exit', `root@${host}`]).catch(() => undefined);
      await new Promise((resolve) => (master!.exitCode === null ? master!.once('exit', resolve) : resolve(undefined)));
    }
    await rm(dir, { recursive: true, force: true });
  }
}

function execRaw(client: ssh2.Client, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      stream.on('close', () => resolve());
      stream.resume();
      stream.stderr.resume();
    });
  });
}

async function ssh2Raw(count: number, host: string, key: string): Promise<ChannelCost> {
  const client = new ssh2.Client();
  const privateKey = await readFile(key);
  const connectMs = await timed(
    () =>
      new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve());
        client.once('error', reject);
        client.connect({ host, port: 22, username: 'root', privateKey });
      }),
  );
  try {
    const perCommandMs: number[] = [];
    for (let i = 0; i < count; i++) perCommandMs.push(await timed(() => execRaw(client, 'true')));
    return { connectMs, perCommandMs };
  } finally {
    client.end();
  }
}

async function graderTransport(count: number, host: string, key: string, known: string): Promise<ChannelCost> {
  const knownHosts = await KnownHosts.load(known);
  const credentials = { privateKey: await readFile(key) };
  let remote: Awaited<ReturnType<typeof connectHost>> | undefined;
  const connectMs = await timed(async () => {
    remote = await connectHost({ role: 'vm1', endpoint: { host, port: 22, user: 'root' }, credentials, knownHosts, hostKeyPolicy: 'strict' });
  });
  try {
    const perCommandMs: number[] = [];
    for (let i = 0; i < count; i++) perCommandMs.push(await timed(() => remote!.run('true')));
    return { connectMs, perCommandMs };
  } finally {
    await remote!.close();
  }
}

function channelCost(mode: ChannelMode, count: number, host: string, key: string, known: string): Promise<ChannelCost> {
  if (mode === 'openssh-connection') return openssh(count, host, key, known, false);
  if (mode === 'openssh-mux') return openssh(count, host, key, known, true);
  if (mode === 'ssh2-raw') return ssh2Raw(count, host, key);
  return graderTransport(count, host, key, known);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [mode, count, host, key, known] = process.argv.slice(2);
  if (!CHANNEL_MODES.includes(mode as ChannelMode) || !count || !host || !key || !known) {
    process.stderr.write(`usage: tsx bench/channel-cost.ts ${CHANNEL_MODES.join('|')} COUNT HOST KEY KNOWN_HOSTS\n`);
    process.exit(2);
  }
  const cost = await channelCost(mode as ChannelMode, Number(count), host, key, known);
  process.stdout.write(`${JSON.stringify(cost)}\n`);
}
