// Where a checkout's labs live: `.lab/<name>/`, one folder per lab, claimed by mkdir.
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabExistsError } from './errors.ts';

/** `.lab/` at the root of this checkout. */
export const DEFAULT_LABS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '.lab');

/**
 * Claims `.lab/<name>` (mkdir, so two `up`s of one name cannot both win). `cli` is the command that
 * tears such a lab down (`lab`, `vmlab`), for the message when the name is taken.
 */
export async function claimName(labsDir: string, name: string, cli: 'lab' | 'vmlab' = 'lab'): Promise<string> {
  await mkdir(labsDir, { recursive: true });
  const stateDir = join(labsDir, name);
  try {
    await mkdir(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new LabExistsError(`lab '${name}' already exists (${stateDir}); tear it down first: npm run ${cli} -- down --name ${name}`);
    }
    throw error;
  }
  return stateDir;
}
