import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../grader/store/migrations.ts';
import { openStore, STORE_FILE } from '../../grader/store/open-store.ts';
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

describe('SQLite store faults', () => {
  it('a file that is not a database, and a record written by a newer grader: one clear line', async () => {
    const dir = path.join(root, 'faults');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, STORE_FILE), 'not a database '.repeat(100));
    await expect(openStore(dir)).rejects.toThrow(/^course record \S+grades\.sqlite: not a SQLite database \(a file of another kind has its name\): move it aside$/);
    const newer = path.join(root, 'newer');
    await (await openStore(newer)).close();
    const db = new DatabaseSync(path.join(newer, STORE_FILE));
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, new Date().toISOString());
    db.close();
    await expect(openStore(newer)).rejects.toThrow(/written by a newer grader \(schema \d+, this grader knows \d+\): update the grader/);
  });
});
