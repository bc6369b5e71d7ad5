// The takeover kit's helper, run on a real `sh` fed through a pipe as sshd feeds the grader's
// command session: it must take the session over only between command lines. Stopped in the middle
// of one, the session would never finish the line it has already read, and the grader would see a
// timeout instead of the kit's forged answers (a flake of the `takeover` variant under load).
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { takeoverHelperScript } from './takeover-kit.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const stateOf = async (pid: number) => (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).replace(/^.*\) /, '').split(' ')[0];

describe('the takeover kit helper', () => {
  it('lets the session finish the line it is running (children gone, builtins still at work) and takes over at the next', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlg-takeover-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const helperPath = join(dir, 'helper');
    await writeFile(helperPath, takeoverHelperScript());
    await chmod(helperPath, 0o755);

    // The session's stdin and stdout are pipes, as sshd gives them (Node's own are sockets, which
    // /proc/PID/fd cannot reopen): `cat` on either side; the session prints its pid first.
    const session = spawn('/bin/sh', ['-c', 'cat | /bin/sh -c \'echo "pid $$"; exec /bin/sh -s\' | cat'], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    let out = '';
    session.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    cleanups.push(async () => {
      if (session.exitCode === null) process.kill(-session.pid!, 'SIGKILL');
    });
    const pid = Number(await until('the session to start', async () => /^pid (\d+)/.exec(out)?.[1]));
    cleanups.push(() => rm(`/tmp/takeover-kit.${pid}`, { recursive: true, force: true }));

    // A line whose child (sleep) ends well before the line does: a long run of builtins follows.
    session.stdin.write('sleep 1; i=0; while [ "$i" -lt 600000 ]; do i=$((i + 1)); done; echo first-done\n');
    await until('the sleep to start', async () => ((await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim() ? true : undefined));
    const helper = spawn(helperPath, [String(pid)], { stdio: 'ignore' });
    cleanups.push(async () => void (helper.exitCode === null && helper.kill('SIGKILL')));

    await until('the first line to finish', async () => (out.includes('first-done') ? true : undefined));
    await until('the helper to stop the session', async () => ((await stateOf(pid)) === 'T' ? true : undefined));
    session.stdin.write('echo "answered by $$"\n');
    const answer = await until('the second line to be answered', async () => /answered by (\d+)/.exec(out)?.[1]);
    expect(Number(answer)).not.toBe(pid);
    session.stdin.end();
    await until('the helper to give the session back', async () => (helper.exitCode !== null ? true : undefined));
  }, 60_000);
});
