import { DatabaseSync } from 'node:sqlite';
import type { SqlDriver, SqlQuerier, SqlRow, SqlValue } from './sql-driver.ts';
import { StoreError } from './store-error.ts';

/** How long a writer waits for another one (a second class run into the same folder). */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;

// SQLite's own error codes (https://sqlite.org/rescode.html), primary code in the low byte.
const WHY: Record<number, string> = {
  5: `locked by another process for more than ${SQLITE_BUSY_TIMEOUT_MS / 1000} s (another grader still writing? try again when it is done)`,
  8: 'read-only: the folder or the file cannot be written (check its owner and mode)',
  10: 'input/output error while reading or writing it (the disk?)',
  11: 'corrupt: restore it from a backup (see docs/course-record.md), or move it aside to start a new record',
  13: 'the disk is full: free some space and run again (nothing was recorded)',
  14: 'cannot be opened (does the folder exist, and may it be written?)',
  26: 'not a SQLite database (a file of another kind has its name): move it aside',
};

function explain(location: string, error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const e = error as { code?: string; errcode?: number; message?: string };
  if (e?.code !== 'ERR_SQLITE_ERROR' || typeof e.errcode !== 'number') return error;
  return new StoreError(location, WHY[e.errcode & 0xff] ?? `SQLite error: ${e.message ?? e.errcode}`);
}

// One DatabaseSync per store, in WAL mode so readers never wait for a writer, with a busy timeout
// so that two writers (two processes) wait for each other instead of failing. Transactions take the
// write lock at BEGIN (IMMEDIATE), and run one at a time within this process.
export function openSqlite(file: string): SqlDriver {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    throw explain(file, error);
  }
  const querier: SqlQuerier = {
    async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
      try {
        return db.prepare(sql).all(...params) as SqlRow[];
      } catch (error) {
        throw explain(file, error);
      }
    },
    async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
      try {
        db.prepare(sql).run(...params);
      } catch (error) {
        throw explain(file, error);
      }
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    dialect: 'sqlite',
    location: file,
    ...querier,
    transaction<T>(work: (q: SqlQuerier) => Promise<T>): Promise<T> {
      const next = queue.then(async () => {
        await querier.run('BEGIN IMMEDIATE');
        try {
          const result = await work(querier);
          await querier.run('COMMIT');
          return result;
        } catch (error) {
          try {
            db.exec('ROLLBACK');
          } catch {
            // Already rolled back by SQLite (a full disk does that).
          }
          throw error;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    explain: (error) => explain(file, error),
    async close() {
      await queue;
      if (db.isOpen) db.close();
    },
  };
}
