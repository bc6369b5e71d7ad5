import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config-error.ts';

const REASONS: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a file stands where a directory must be',
  EEXIST: 'a file stands where a directory must be',
  EISDIR: 'a directory stands where the file must be',
  ELOOP: 'a symbolic link stands in the output folder; the grader never writes through one',
};

/** An error of the file system in a few words: `ENOSPC: no space left on the device`. */
export function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return REASONS[code] ? `${code}: ${REASONS[code]}` : code;
}

// Makes sure reports can be written into `dir` before anything is graded: creates it, writes a
// small file there, flushes and removes it. A read-only mount, a file in its place, a full disk
// or a missing permission is a configuration error (exit 2) instead of results lost at the end.
export async function probeOutDir(dir: string): Promise<void> {
  const problem = (error: unknown) => new ConfigError([`--out ${dir}: reports cannot be written there (${describeWriteError(error)})`]);
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    throw problem(error);
  }
  const probe = path.join(dir, `.router-lab-grader-probe.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx');
    try {
      await handle.writeFile(randomBytes(4096));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw problem(error);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
