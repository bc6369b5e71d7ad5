import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export interface WriteFileAtomicOptions {
  /**
   * The output folder the file belongs to (--out). Every folder between it and the file must be a
   * real folder, never a symbolic link: a link planted there would carry the write elsewhere.
   * The root itself, and the path to it, are the user's choice and may contain links.
   */
  root?: string;
}

// Writes to a temporary file beside the target, flushes it, then renames it over the target: a
// reader sees the old file or the new one, never half of one. Creates the directory. A link in
// the target's place is replaced, never written through (rename does not follow it, and the
// temporary file is created with O_EXCL, which refuses a link).
export async function writeFileAtomic(filePath: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const dir = path.dirname(filePath);
  if (options.root !== undefined && isInside(options.root, dir)) await makeRealDirs(options.root, dir);
  else await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, filePath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function isInside(root: string, dir: string): boolean {
  const relative = path.relative(root, dir);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

// Creates root and each folder below it down to dir, one at a time, refusing (ELOOP) any that is
// a symbolic link or not a folder.
async function makeRealDirs(root: string, dir: string): Promise<void> {
  await mkdir(root, { recursive: true });
  let current = path.resolve(root);
  for (const part of path.relative(root, dir).split(path.sep).filter((p) => p !== '')) {
    current = path.join(current, part);
    await mkdir(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    const stats = await lstat(current);
    if (stats.isSymbolicLink()) {
      throw Object.assign(new Error(`${current} is a symbolic link inside the output folder ${root}: refusing to write through it`), { code: 'ELOOP', path: current });
    }
    if (!stats.isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR', path: current });
  }
}
