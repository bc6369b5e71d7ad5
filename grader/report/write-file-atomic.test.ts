import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/test-files.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

describe('writeFileAtomic', () => {
  const dir = tempDir('write-file-atomic-');

  it('creates missing directories and writes the content', async () => {
    const file = path.join(dir(), 'a', 'b', 'report.xml');
    await writeFileAtomic(file, '<x/>\n');
    expect(await readFile(file, 'utf8')).toBe('<x/>\n');
    expect(await readdir(path.dirname(file))).toEqual(['report.xml']);
  });

  it('replaces an existing file and leaves no temporary file behind', async () => {
    const file = path.join(dir(), 'report.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    await writeFileAtomic(file, Buffer.from('newer'));
    expect(await readFile(file, 'utf8')).toBe('newer');
    expect(await readdir(dir())).toEqual(['report.json']);
  });

  it('survives concurrent writers: one complete content wins, no temp files remain', async () => {
    const file = path.join(dir(), 'report.json');
    const contents = Array.from({ length: 20 }, (_, i) => `${i}`.repeat(10_000));
    await Promise.all(contents.map((c) => writeFileAtomic(file, c)));
    expect(contents).toContain(await readFile(file, 'utf8'));
    expect(await readdir(dir())).toEqual(['report.json']);
  });

  it('cleans up its temporary file when the rename fails', async () => {
    const target = path.join(dir(), 'is-a-directory');
    await writeFileAtomic(path.join(target, 'inner'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect((await readdir(dir())).sort()).toEqual(['is-a-directory']);
  });
});
