// RemoteHost.runWitness against a real OpenSSH server on loopback, with the command-session
// takeover a student can run as root: a process left behind by one command stops that command's
// session `sh` and reads its next command lines from /proc/<sh>/fd/0, markers included.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import type { RemoteHost } from '../../grader/transport/remote-host.ts';
import { sh } from '../../grader/transport/shell-quote.ts';
import { connectHost } from '../../grader/transport/ssh-host.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';
import { Closer, endpointOf, tempKnownHostsPath } from '../support/transport.ts';

const SLOW_RC_SECONDS = 0.3;
let sshd: TestSshd;
let knownHosts: { path: string; cleanup(): Promise<void> };
let dir: string;
const closer = new Closer();

beforeAll(async () => {
  sshd = await startSshd({
    users: [
      { name: 'witness', shell: '/bin/bash' },
      // A student's slow rc file (conda, nvm...): every login shell it runs in logs itself, then sleeps.
      { name: 'slow-rc', shell: '/bin/bash', files: { '.bashrc': `echo "$$" >> "$HOME/rc-runs"\nsleep ${SLOW_RC_SECONDS}\n` } },
    ],
  });
  knownHosts = await tempKnownHostsPath();
  dir = await mkdtemp(join(tmpdir(), 'grader-witness-'));
});
afterEach(() => closer.closeAll());
afterAll(async () => {
  await sshd?.stop();
  await knownHosts?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function connect(user = 'witness', options: { prewarmedSessions?: number } = {}): Promise<RemoteHost> {
  return closer.add(
    await connectHost({
      ...options,
      role: 'router',
      endpoint: endpointOf(sshd, user),
      credentials: { privateKey: sshd.clientKey },
      knownHosts: await KnownHosts.load(knownHosts.path),
      hostKeyPolicy: 'accept-new',
      readyTimeoutMs: 20_000,
    }),
  );
}

// The command's session `sh` is the parent of `timeout`, the parent of the command's own `sh -c`.
// Once the command has ended, the thief stops that `sh` and copies what the grader sends it next.
function takeover(stolen: string, pidFile: string): string {
  return sh`s=$(ps -o ppid= -p "$PPID" | tr -d ' '); echo "$s" > ${pidFile}; (sleep 0.3; kill -STOP "$s"; exec cat "/proc/$s/fd/0" > ${stolen}) </dev/null >/dev/null 2>&1 & echo started`;
}

describe('runWitness', () => {
  it('reads with shell builtins in a channel of its own: a takeover of the command session never sees it', async () => {
    const host = await connect();
    const secret = join(dir, 'counter');
    const stolen = join(dir, 'stolen');
    const pidFile = join(dir, 'session-pid');
    await writeFile(secret, '4242\n');
    expect((await host.run(takeover(stolen, pidFile))).stdout).toBe('started\n');
    // The stopped session `sh` outlives its channel: killed after the test.
    const sessionPid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(sessionPid).toBeGreaterThan(1);
    onTestFinished(() => void process.kill(sessionPid, 'SIGKILL'));
    await sleep(800);
    // The session is now the thief's: a command sent to it is read by the thief, and never run.
    const hijacked = await host.run('echo hijacked-command', { timeoutMs: 1000 });
    expect(hijacked.timedOut).toBe(true);
    const witness = await host.runWitness(sh`read -r v < ${secret} && printf 'value:%s\n' "$v"`);
    expect(witness).toMatchObject({ exitCode: 0, stdout: 'value:4242\n', timedOut: false });
    const seen = await readFile(stolen, 'utf8');
    expect(seen).toContain('echo hijacked-command');
    expect(seen).toMatch(/grader-output-begins-[0-9a-f]{16}/);
    expect(seen).not.toContain(secret);
  }, 30_000);

  it('runs no program from the PATH: a `timeout`, `sh`, `printf` or `cat` put there first is never run', async () => {
    const bin = join(dir, 'bin');
    const ran = join(dir, 'ran');
    const fake = `#!/bin/sh\necho "$0" >> ${ran}\nexit 0\n`;
    const host = await connect();
    await host.run(sh`mkdir -p ${bin} && for t in timeout sh printf cat; do printf '%s' ${fake} > ${bin}/$t; chmod +x ${bin}/$t; done`);
    // The login shell's rc file puts the fakes first on the PATH of every later channel.
    await host.run(sh`printf 'PATH=%s:$PATH\n' ${bin} >> "$HOME/.bashrc"`);
    try {
      // A connection made after the change: its witness channels' login shells read the new rc file.
      // (It opens no command session ahead of need: one would run the fake `sh`, as shown below.)
      const witness = await (await connect('witness', { prewarmedSessions: 0 })).runWitness(sh`read -r v < /proc/sys/kernel/ostype && printf '%s|%s\n' "$v" "$PATH"`);
      expect(witness.exitCode).toBe(0);
      const [ostype, path] = witness.stdout.trim().split('|');
      expect(ostype).toBe('Linux');
      expect(path).toContain(bin); // the fakes were first on its PATH
      expect(await readFile(ran, 'utf8').catch(() => '')).toBe(''); // and none ran
      // The same PATH in a new command session runs the fake `sh` at once.
      await (await connect()).run('true', { timeoutMs: 2000 });
      expect(await readFile(ran, 'utf8')).toMatch(/\/sh$/m);
    } finally {
      await host.run(sh`sed -i /PATH=/d "$HOME/.bashrc"`);
    }
  }, 30_000);

  it('gives reads at once channels of their own, and reads one after another the same channel (no new login shell)', async () => {
    const host = await connect();
    const [a, b] = await Promise.all([host.runWitness("printf '%s\\n' $$"), host.runWitness("printf '%s\\n' $$")]);
    expect(a!.stdout).toMatch(/^\d+\n$/);
    expect(a!.stdout).not.toBe(b!.stdout);
    for (const later of [await host.runWitness("printf '%s\\n' $$"), await host.runWitness("printf '%s\\n' $$")]) {
      expect([a!.stdout, b!.stdout]).toContain(later.stdout);
    }
  });

  it('never reuses a channel whose read did not end cleanly', async () => {
    const host = await connect();
    const fifo = join(sshd.dir, 'home', 'witness', 'stall');
    const pidFile = join(sshd.dir, 'home', 'witness', 'stalled-pid');
    await host.run(sh`rm -f ${fifo} ${pidFile}; mkfifo ${fifo}`);
    try {
      // Opening a FIFO no one writes blocks: the read passes its deadline.
      const stalled = await host.runWitness(sh`printf '%s\n' $$ > ${pidFile}; read -r v < ${fifo}`, { timeoutMs: 300 });
      expect(stalled.timedOut).toBe(true);
      const stalledShell = (await readFile(pidFile, 'utf8')).trim();
      expect(stalledShell).toMatch(/^\d+$/);
      const after = await Promise.all([host.runWitness("printf '%s\\n' $$"), host.runWitness("printf '%s\\n' $$")]);
      expect(after.map((r) => r.stdout.trim())).not.toContain(stalledShell);
    } finally {
      await host.run(sh`: > ${fifo}`, { timeoutMs: 2000 }); // its sh goes on, and ends with its channel
    }
  }, 30_000);

  it("pays a slow login shell ahead of need, never one read after another (issue 25, item 13)", async () => {
    const host = await connect('slow-rc');
    const read = () => host.runWitness("read -r v < /proc/sys/kernel/ostype && printf '%s\\n' \"$v\"");
    const backToBack = async () => {
      const started = performance.now();
      for (const result of [await read(), await read()]) expect(result).toMatchObject({ exitCode: 0, stdout: 'Linux\n' });
      return performance.now() - started;
    };
    await sleep(800); // what comes before the first witness read: discovery, the inspections
    // Two reads back to back, as between two traffic checks: each would wait for the rc file.
    expect(await backToBack()).toBeLessThan(SLOW_RC_SECONDS * 1000);
    await sleep(800); // a measurement: the channels of the reads are idle again meanwhile
    expect(await backToBack()).toBeLessThan(SLOW_RC_SECONDS * 1000);
    await host.close();
    // Four reads, two witness channels and two command sessions opened at connection time: the
    // reads are served by the witness channels, so four login shells in all, none for a read.
    const runs = (await readFile(join(sshd.dir, 'home', 'slow-rc', 'rc-runs'), 'utf8')).trim().split('\n');
    expect(runs.length).toBe(2 + 2);
  }, 30_000);
});
