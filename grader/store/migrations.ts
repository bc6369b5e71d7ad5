import type { SqlDriver, SqlQuerier } from './sql-driver.ts';
import { StoreError } from './store-error.ts';

// The schema, as versioned steps applied in order on open. A store written by an older grader
// opens in a newer one (its missing steps run); a store written by a newer grader than this one
// is refused rather than misread. Never edit a released step: add one.
// `{id}` is the dialect's auto-increment key, `{real}` its double-precision number.
const STEPS: readonly string[] = [
  `CREATE TABLE attempts (
     id {id},
     fingerprint TEXT NOT NULL UNIQUE,
     lab TEXT NOT NULL,
     student_id TEXT,
     started_at TEXT NOT NULL,
     ended_at TEXT NOT NULL,
     recorded_at TEXT NOT NULL,
     command TEXT NOT NULL,
     machine TEXT NOT NULL,
     source_address TEXT,
     checks_digest TEXT,
     grader_version TEXT,
     only_checks TEXT,
     status TEXT NOT NULL,
     score {real} NOT NULL,
     max_score {real} NOT NULL,
     report TEXT NOT NULL
   );
   CREATE INDEX attempts_by_lab ON attempts (lab, id);
   CREATE TABLE rosters (version INTEGER PRIMARY KEY, given_at TEXT NOT NULL, source TEXT NOT NULL, entries TEXT NOT NULL);
   CREATE TABLE settings (id {id}, name TEXT NOT NULL, value TEXT, set_at TEXT NOT NULL);
   CREATE TABLE extensions (id {id}, student_id TEXT NOT NULL, extension TEXT, set_at TEXT NOT NULL);
   CREATE TABLE secrets (id {id}, name TEXT NOT NULL, value TEXT NOT NULL, set_at TEXT NOT NULL);
   CREATE TABLE tokens (id {id}, token_hash TEXT NOT NULL UNIQUE, student_id TEXT NOT NULL, lab TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE token_revocations (token_id INTEGER NOT NULL UNIQUE, revoked_at TEXT NOT NULL);
   CREATE TABLE plans (id {id}, student_id TEXT NOT NULL, plan TEXT NOT NULL, created_at TEXT NOT NULL);`,
];

export const SCHEMA_VERSION = STEPS.length;

function dialectSql(driver: SqlDriver, sql: string): string[] {
  const id = driver.dialect === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGSERIAL PRIMARY KEY';
  const real = driver.dialect === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION';
  return sql
    .replaceAll('{id}', id)
    .replaceAll('{real}', real)
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

async function currentVersion(q: SqlQuerier): Promise<number> {
  const rows = await q.all('SELECT MAX(version) AS version FROM schema_migrations');
  return Number(rows[0]?.version ?? 0);
}

// Brings the store's schema to SCHEMA_VERSION, in one transaction (two graders opening a new
// store at once: one migrates, the other then finds it done).
export async function migrate(driver: SqlDriver): Promise<void> {
  await driver.transaction(async (q) => {
    await q.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const version = await currentVersion(q);
    if (version > SCHEMA_VERSION) {
      throw new StoreError(driver.location, `written by a newer grader (schema ${version}, this grader knows ${SCHEMA_VERSION}): update the grader (git pull && npm ci)`);
    }
    for (let step = version; step < SCHEMA_VERSION; step++) {
      for (const statement of dialectSql(driver, STEPS[step]!)) await q.run(statement);
      await q.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [step + 1, new Date().toISOString()]);
    }
  });
}
