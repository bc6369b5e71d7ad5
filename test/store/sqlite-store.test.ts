import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { openStore } from '../../grader/store/open-store.ts';
import { storeContract } from './store-contract.ts';

// Each test gets a store of its own, reopened where it reopens (a folder per test).
const root = mkdtempSync(path.join(tmpdir(), 'rlg-sqlite-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
storeContract('SQLite', async () => {
  // The roster test opens twice: same folder within a test, a new one per test.
  const name = expect.getState().currentTestName ?? 'store';
  const folder = path.join(root, name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60));
  return openStore(folder);
});
