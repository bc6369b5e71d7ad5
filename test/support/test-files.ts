// What tests read and write on disk: recorded outputs from fixtures/ (see fixtures/README.md for
// where each was recorded), and temporary directories removed however the test ends.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, onTestFinished } from 'vitest';

const FIXTURES = new URL('../../fixtures/', import.meta.url);

/** The absolute path of `fixtures/PATH`. */
export function fixturePath(path: string): string {
  return fileURLToPath(new URL(path, FIXTURES));
}

/** The text of `fixtures/PATH`. */
export function fixture(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

/** The file names in the folder `fixtures/DIR`. */
export function fixtureFiles(dir: string): string[] {
  return readdirSync(new URL(`${dir}/`, FIXTURES));
}

const makeDir = (prefix: string) => mkdtemp(join(tmpdir(), prefix));
const removeDir = (dir: string | undefined) => (dir ? rm(dir, { recursive: true, force: true }) : undefined);

// A fresh directory under the system's temporary directory, removed when the test that asked for
// it ends, passed or failed. Call it inside a test (not in a hook).
export async function testDir(prefix: string): Promise<string> {
  const dir = await makeDir(prefix);
  onTestFinished(() => removeDir(dir));
  return dir;
}

// Call in a describe block (or at the top of a file): a fresh directory for each test of it, or
// one for all of them (`shared`), removed after them. Returns the directory's current path.
export function tempDir(prefix: string, { shared = false } = {}): () => string {
  let dir: string | undefined;
  (shared ? beforeAll : beforeEach)(async () => {
    dir = await makeDir(prefix);
  });
  (shared ? afterAll : afterEach)(async () => {
    await removeDir(dir);
    dir = undefined;
  });
  return () => {
    if (!dir) throw new Error(`the temporary directory ${prefix}* exists only while a test runs`);
    return dir;
  };
}
