import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isTimeoutStatus, newMarker, OutputCollector, wrapCommand } from './command-wrapper.ts';

const MARKER = 'grader-output-begins-0123456789abcdef';

describe('OutputCollector', () => {
  it('drops what precedes the marker line, even when the marker is split across chunks', () => {
    const out = new OutputCollector(MARKER, 100);
    for (const chunk of ['Welcome!\nnoise', `${MARKER.slice(0, 10)}`, `${MARKER.slice(10)}\nhel`, 'lo\n']) out.push(Buffer.from(chunk));
    expect(out.text()).toBe('hello\n');
    expect(out.truncated).toBe(false);
  });

  it('keeps the first `limit` bytes after the marker, then refuses more', () => {
    const out = new OutputCollector(MARKER, 5);
    expect(out.push(Buffer.from(`${MARKER}\n1234`))).toBe(true);
    expect(out.push(Buffer.from('5678'))).toBe(false);
    expect(out.push(Buffer.from('9'))).toBe(false);
    expect(out.text()).toBe('12345');
    expect(out.truncated).toBe(true);
  });

  it('keeps everything when the marker never came (the wrapper did not run), within the limit', () => {
    const out = new OutputCollector(MARKER, 1000);
    out.push(Buffer.from('fish: Unknown command: sh\n'));
    expect(out.text()).toBe('fish: Unknown command: sh\n');
    const flood = new OutputCollector(MARKER, 10);
    expect(flood.push(Buffer.alloc(10 + MARKER.length + 2, 'y'))).toBe(false);
    expect(flood.text()).toBe('y'.repeat(10));
    expect(flood.truncated).toBe(true);
  });

  it('decodes UTF-8 split across chunks', () => {
    const out = new OutputCollector(MARKER, 100);
    const bytes = Buffer.from(`${MARKER}\nÄ→✓`);
    out.push(bytes.subarray(0, bytes.length - 2));
    out.push(bytes.subarray(bytes.length - 2));
    expect(out.text()).toBe('Ä→✓');
  });
});

describe('isTimeoutStatus', () => {
  it('recognises timeout(1) exits: 124 after TERM, 137 or SIGKILL after KILL', () => {
    expect([isTimeoutStatus(124, undefined), isTimeoutStatus(137, undefined), isTimeoutStatus(null, 'SIGKILL')]).toEqual([true, true, true]);
    expect([isTimeoutStatus(0, undefined), isTimeoutStatus(1, undefined), isTimeoutStatus(null, 'SIGSEGV')]).toEqual([false, false, false]);
  });
});

describe('newMarker', () => {
  it('is different every time and needs no quoting', () => {
    expect(newMarker()).not.toBe(newMarker());
    expect(newMarker()).toMatch(/^[a-z0-9-]+$/);
  });
});

// The wrapper run locally by each login shell found here, as sshd would run it (SHELL -c REQUEST).
const run = promisify(execFile);
const shells = ['/bin/dash', '/bin/bash', '/usr/bin/zsh', '/usr/bin/fish'].filter((s) => existsSync(s));

async function runWrapped(shell: string, command: string, timeoutSeconds: number, env: NodeJS.ProcessEnv = process.env) {
  const collect = (text: string) => {
    const c = new OutputCollector(MARKER, 1 << 20);
    c.push(Buffer.from(text));
    return c.text();
  };
  try {
    const { stdout, stderr } = await run(shell, ['-c', wrapCommand(command, MARKER, timeoutSeconds)], { env });
    return { code: 0, stdout: collect(stdout), stderr: collect(stderr) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: collect(e.stdout), stderr: collect(e.stderr) };
  }
}

describe.each(shells)('wrapCommand run by %s', (shell) => {
  it('passes any command text through to sh untouched', async () => {
    const tricky = `printf '%s|' "it's" 'back\\slash' '$HOME' "a  b" '*'; echo; echo err >&2; exit 7`;
    expect(await runWrapped(shell, tricky, 10)).toEqual({ code: 7, stdout: `it's|back\\slash|$HOME|a  b|*|\n`, stderr: 'err\n' });
  });

  it('kills the command at the deadline with timeout -k (exit 124)', async () => {
    const started = Date.now();
    expect((await runWrapped(shell, 'sleep 30', 1)).code).toBe(124);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('wrapCommand without a timeout that knows -k', () => {
  it('runs the command plainly', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'old-timeout-'));
    try {
      await writeFile(join(bin, 'timeout'), '#!/bin/sh\necho "timeout: unrecognized option: k" >&2\nexit 1\n');
      await chmod(join(bin, 'timeout'), 0o755);
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
      expect(await runWrapped('/bin/dash', 'echo ran', 5, env)).toEqual({ code: 0, stdout: 'ran\n', stderr: '' });
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});
