import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
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

  describe('never writes through a symbolic link planted inside the output folder', () => {
    const plant = async () => {
      const out = path.join(dir(), 'out');
      const elsewhere = path.join(dir(), 'elsewhere');
      await mkdir(out, { recursive: true });
      await mkdir(elsewhere, { recursive: true });
      await writeFile(path.join(elsewhere, 'results.json'), 'theirs');
      return { out, elsewhere };
    };

    it.each([
      ['a folder on the way', ['gradescope'], ['gradescope', 'lab', 'results.json']],
      ['a deeper folder', ['gradescope', 'lab'], ['gradescope', 'lab', 'results.json']],
    ])('%s is a link: refused, nothing written elsewhere', async (_, linkPath, filePath) => {
      const { out, elsewhere } = await plant();
      await mkdir(path.join(out, ...linkPath.slice(0, -1)), { recursive: true });
      await symlink(elsewhere, path.join(out, ...linkPath));
      await expect(writeFileAtomic(path.join(out, ...filePath), 'ours', { root: out })).rejects.toMatchObject({ code: 'ELOOP' });
      expect(await readdir(elsewhere)).toEqual(['results.json']);
      expect(await readFile(path.join(elsewhere, 'results.json'), 'utf8')).toBe('theirs');
    });

    it('the file itself is a link: the link is replaced by the file, its target left alone', async () => {
      const { out, elsewhere } = await plant();
      await symlink(path.join(elsewhere, 'results.json'), path.join(out, 'results.json'));
      await writeFileAtomic(path.join(out, 'results.json'), 'ours', { root: out });
      expect((await lstat(path.join(out, 'results.json'))).isFile()).toBe(true);
      expect(await readFile(path.join(out, 'results.json'), 'utf8')).toBe('ours');
      expect(await readFile(path.join(elsewhere, 'results.json'), 'utf8')).toBe('theirs');
    });

    it('a file outside the output folder may sit under links the user chose', async () => {
      const { out, elsewhere } = await plant();
      await symlink(elsewhere, path.join(dir(), 'chosen'));
      await writeFileAtomic(path.join(dir(), 'chosen', 'x.json'), 'ours', { root: out });
      expect(await readFile(path.join(elsewhere, 'x.json'), 'utf8')).toBe('ours');
    });
  });
});
