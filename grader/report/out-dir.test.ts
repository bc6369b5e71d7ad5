import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../../test/support/test-files.ts';
import { ConfigError } from '../config/config-error.ts';
import { describeWriteError, probeOutDir } from './out-dir.ts';

const problemsOf = (dir: string) => probeOutDir(dir).then(() => [], (e: unknown) => (e instanceof ConfigError ? e.problems : [`not a ConfigError: ${String(e)}`]));

describe('probeOutDir', () => {
  it('creates the directory and leaves nothing behind', async () => {
    const dir = path.join(await testDir('rlg-out-'), 'a', 'b');
    expect(await problemsOf(dir)).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a file where the directory must be, and a directory under a file', async () => {
    const base = await testDir('rlg-out-');
    await writeFile(path.join(base, 'reports'), 'x');
    expect(await problemsOf(path.join(base, 'reports'))).toEqual([`--out ${base}/reports: reports cannot be written there (EEXIST: a file stands where a directory must be)`]);
    expect((await problemsOf(path.join(base, 'reports', 'sub')))[0]).toMatch(/\(ENOTDIR: a file stands where a directory must be\)$/);
  });
});

describe('describeWriteError', () => {
  it('names the common causes', () => {
    expect(describeWriteError(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe('ENOSPC: no space left on the device');
    expect(describeWriteError(Object.assign(new Error('x'), { code: 'EROFS' }))).toBe('EROFS: read-only file system');
    expect(describeWriteError(Object.assign(new Error('x'), { code: 'EIO' }))).toBe('EIO');
    expect(describeWriteError(new Error('boom'))).toBe('boom');
  });
});
