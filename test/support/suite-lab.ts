// Call at the top of a test file: one reference lab of `variant` and a temporary directory for the
// tests of the file, both made before them and removed after them, also when they fail.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { labUp, type LabHandle, type Variant } from '../../labs/netns/api.ts';

export interface SuiteLab {
  readonly lab: LabHandle;
  readonly dir: string;
}

export function suiteLab(name: string, variant: Variant, dirPrefix: string): SuiteLab {
  let lab: LabHandle | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    lab = await labUp({ name, variant });
    dir = await mkdtemp(join(tmpdir(), dirPrefix));
  }, 120_000);
  afterAll(async () => {
    await lab?.down();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const unset = (what: string) => new Error(`the ${what} of suiteLab('${name}') exists only while the file's tests run (see why beforeAll failed)`);
  return {
    get lab() {
      if (!lab) throw unset('lab');
      return lab;
    },
    get dir() {
      if (!dir) throw unset('directory');
      return dir;
    },
  };
}
