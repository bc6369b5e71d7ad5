import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../../test/support/test-files.ts';
import { commandLine, FramedOutput, isTimeoutStatus, newMarkers, SESSION_REQUEST, type Markers } from './command-wrapper.ts';

const MARKERS: Markers = { begin: 'grader-output-begins-0123456789abcdef', end: 'grader-output-ends-0123456789abcdef' };
const framed = (limit = 100) => new FramedOutput(MARKERS, limit);
const feed = (out: FramedOutput, ...chunks: string[]) => chunks.forEach((c) => out.push(Buffer.from(c)));

describe('FramedOutput', () => {
  it('keeps what lies between the markers, even when both are split across chunks', () => {
    const out = framed();
    const end = `${MARKERS.end}:3\n`;
    feed(out, 'Welcome!\nnoise', MARKERS.begin.slice(0, 10), `${MARKERS.begin.slice(10)}\nhel`, 'lo\n', end.slice(0, 7), end.slice(7, 25), end.slice(25));
    expect(out.text()).toBe('hello\n');
    expect([out.ended, out.exitStatus(), out.truncated]).toEqual([':3', 3, false]);
  });

  it('keeps output that does not end in a newline exactly, and ignores what follows the end line', () => {
    const out = framed();
    feed(out, `${MARKERS.begin}\nno newline${MARKERS.end}:0\nlater noise`);
    expect([out.text(), out.exitStatus()]).toEqual(['no newline', 0]);
  });

  it('is not ended by a marker line without its newline yet, nor by an end marker before the begin marker', () => {
    const out = framed();
    feed(out, `${MARKERS.end}:9\n${MARKERS.begin}\nx${MARKERS.end}`);
    expect(out.ended).toBeUndefined();
    feed(out, '\n');
    expect([out.text(), out.ended, out.exitStatus()]).toEqual(['x', '', null]);
  });

  it('keeps the first `limit` bytes after the begin marker, then refuses more', () => {
    const out = framed(5);
    expect(out.push(Buffer.from(`${MARKERS.begin}\n1234`))).toBe(true);
    expect(out.push(Buffer.alloc(MARKERS.end.length + 4, '5'))).toBe(false);
    expect(out.push(Buffer.from('9'))).toBe(false);
    expect([out.text(), out.truncated]).toEqual(['12345', true]);
  });

  it('keeps everything when the begin marker never came (the line never ran), within the limit', () => {
    const out = framed(1000);
    feed(out, 'fish: Unknown command: sh\n');
    expect(out.text()).toBe('fish: Unknown command: sh\n');
    const flood = framed(10);
    expect(flood.push(Buffer.alloc(10 + MARKERS.begin.length + 2, 'y'))).toBe(false);
    expect([flood.text(), flood.truncated]).toEqual(['y'.repeat(10), true]);
  });

  it('decodes UTF-8 split across chunks', () => {
    const out = framed();
    const bytes = Buffer.from(`${MARKERS.begin}\nÄ→✓${MARKERS.end}:0\n`);
    for (let i = 0; i < bytes.length; i += 3) out.push(bytes.subarray(i, i + 3));
    expect(out.text()).toBe('Ä→✓');
  });
});

describe('isTimeoutStatus', () => {
  it('recognises timeout(1) exits: 124 after TERM, 137 after KILL', () => {
    expect([isTimeoutStatus(124), isTimeoutStatus(137)]).toEqual([true, true]);
    expect([isTimeoutStatus(0), isTimeoutStatus(1), isTimeoutStatus(null)]).toEqual([false, false, false]);
  });
});

describe('newMarkers', () => {
  it('are different every time and need no quoting', () => {
    const [a, b] = [newMarkers(), newMarkers()];
    expect(a.begin).not.toBe(b.begin);
    expect(`${a.begin} ${a.end}`).toMatch(/^[a-z0-9-]+ [a-z0-9-]+$/);
  });
});

// A session as sshd would start it (LOGIN_SHELL -c SESSION_REQUEST), fed command lines one at a
// time on stdin, each sent once the previous one's end markers came back.
// Every login shell students have (scripts/install-system-packages.sh installs zsh and fish): a missing one fails.
const shells = ['/bin/dash', '/bin/bash', '/usr/bin/zsh', '/usr/bin/fish'];

async function session(shell: string, commands: Array<{ command: string; timeoutSeconds: number }>, env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(shell, ['-c', SESSION_REQUEST], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  // A shell that is missing or dies fails the test at once, not at vitest's timeout.
  const gone = new Promise<never>((_resolve, reject) => {
    child.on('error', (error) => reject(new Error(`${shell} cannot run (${error.message}): scripts/install-system-packages.sh installs it`)));
    child.on('exit', (code, signal) => reject(new Error(`${shell} exited (${signal ?? code}) before answering`)));
  });
  gone.catch(() => undefined);
  const results: Array<{ code: number | null; stdout: string; stderr: string }> = [];
  for (const { command, timeoutSeconds } of commands) {
    const markers = newMarkers();
    const out = { stdout: new FramedOutput(markers, 1 << 20), stderr: new FramedOutput(markers, 1 << 20) };
    await new Promise<void>((resolve, reject) => {
      gone.catch(reject);
      const check = () => {
        if (out.stdout.ended === undefined || out.stderr.ended === undefined) return;
        child.stdout.off('data', onOut);
        child.stderr.off('data', onErr);
        resolve();
      };
      const onOut = (chunk: Buffer) => (out.stdout.push(chunk), check());
      const onErr = (chunk: Buffer) => (out.stderr.push(chunk), check());
      child.stdout.on('data', onOut);
      child.stderr.on('data', onErr);
      child.stdin.write(`${commandLine(command, markers, timeoutSeconds)}\n`);
    });
    results.push({ code: out.stdout.exitStatus(), stdout: out.stdout.text(), stderr: out.stderr.text() });
  }
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  return results;
}

describe.each(shells)('a command session whose login shell is %s', (shell) => {
  it('passes any command text through to sh untouched, and keeps serving commands', async () => {
    const tricky = `printf '%s|' "it's" 'back\\slash' '$HOME' "a  b" '*'; echo; echo err >&2; exit 7`;
    expect(await session(shell, [
      { command: tricky, timeoutSeconds: 10 },
      { command: 'cd /; exit 3', timeoutSeconds: 10 },
      { command: 'pwd | grep -c "^/$"; printf no-newline', timeoutSeconds: 10 },
    ])).toEqual([
      { code: 7, stdout: `it's|back\\slash|$HOME|a  b|*|\n`, stderr: 'err\n' },
      { code: 3, stdout: '', stderr: '' },
      { code: 0, stdout: '0\nno-newline', stderr: '' },
    ]);
  });

  it('gives a command no stdin: one that reads it does not eat the next command', async () => {
    const [read, next] = await session(shell, [
      { command: 'cat; echo read-done', timeoutSeconds: 10 },
      { command: 'echo next', timeoutSeconds: 10 },
    ]);
    expect([read?.stdout, next?.stdout]).toEqual(['read-done\n', 'next\n']);
  });

  it('kills the command at the deadline with timeout -k (exit 124), and the session goes on', async () => {
    const started = Date.now();
    const [slow, next] = await session(shell, [
      { command: 'sleep 30', timeoutSeconds: 1 },
      { command: 'echo alive', timeoutSeconds: 5 },
    ]);
    expect([slow?.code, next?.stdout]).toEqual([124, 'alive\n']);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('a command session without a timeout that knows -k', () => {
  it('runs the command plainly', async () => {
    const bin = await testDir('old-timeout-');
    await writeFile(join(bin, 'timeout'), '#!/bin/sh\necho "timeout: unrecognized option: k" >&2\nexit 1\n');
    await chmod(join(bin, 'timeout'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    expect(await session('/bin/dash', [{ command: 'echo ran', timeoutSeconds: 5 }], env)).toEqual([{ code: 0, stdout: 'ran\n', stderr: '' }]);
  });
});
