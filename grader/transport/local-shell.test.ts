import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runLocal } from './local-shell.ts';

describe('runLocal', () => {
  it('returns output and a non-zero exit as data', async () => {
    const r = await runLocal("echo out; echo err >&2; exit 3");
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false, truncated: false });
  });

  it('kills the whole command at the deadline', async () => {
    const r = await runLocal('sleep 30.7 & sleep 31.7; echo done', { timeoutMs: 300 });
    expect(r).toMatchObject({ timedOut: true, exitCode: null, stdout: '' });
    const left = execFileSync('sh', ['-c', "pgrep -f '^sleep 3[01]\\.7$' || true"]).toString();
    expect(left.trim()).toBe('');
  });

  it('cuts output at the bound', async () => {
    const r = await runLocal('yes', { maxOutputBytes: 1000 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(1000);
  });
});
