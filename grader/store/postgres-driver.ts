import pg from 'pg';
import { displayUrl } from './store-url.ts';
import type { SqlDriver, SqlQuerier, SqlRow, SqlValue } from './sql-driver.ts';
import { StoreError } from './store-error.ts';

// `?` placeholders as PostgreSQL's `$1, $2...` (the store's SQL has no `?` in literals).
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const CONNECT_TIMEOUT_MS = 10_000;
/** One lock id for the store's migrations (pg_advisory_xact_lock). */
const MIGRATION_LOCK = 7_022_022;

function explain(location: string, error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const e = error as { code?: string; message?: string };
  const code = e?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'ENOENT', 'EAI_AGAIN'].includes(code) || /timeout|terminated/i.test(e?.message ?? '')) {
    return new StoreError(location, `PostgreSQL cannot be reached (${code || e.message}): is the server running, and is the URL's host and port right?`);
  }
  if (code === '28P01' || code === '28000') return new StoreError(location, `PostgreSQL refused the login (${e.message}): check the user and password in the URL or GRADER_STORE`);
  if (code === '3D000') return new StoreError(location, `${e.message}: create it first (createdb), or fix the URL`);
  if (code === '53100') return new StoreError(location, 'the PostgreSQL server\'s disk is full: nothing was recorded');
  if (code === '25006') return new StoreError(location, 'the PostgreSQL server is read-only (a standby?)');
  if (code === '42501') return new StoreError(location, `permission denied (${e.message}): the URL's user must own the store's tables`);
  if (/^[0-9A-Z]{5}$/.test(code)) return new StoreError(location, `PostgreSQL error ${code}: ${e.message}`);
  return error;
}

// A pool of connections to one database; every statement and transaction through it. The store's
// migrations take an advisory lock, so that shards opening a new database at once migrate once.
export async function openPostgres(url: string): Promise<SqlDriver> {
  const location = displayUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, idleTimeoutMillis: 5_000 });
  // An idle connection the server drops must not crash the grader: the next query reconnects.
  pool.on('error', () => undefined);
  const querier = (client: pg.Pool | pg.PoolClient): SqlQuerier => ({
    async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
      try {
        return (await client.query(numbered(sql), [...params])).rows as SqlRow[];
      } catch (error) {
        throw explain(location, error);
      }
    },
    async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
      await this.all(sql, params);
    },
  });
  const driver: SqlDriver = {
    dialect: 'postgres',
    location,
    ...querier(pool),
    async transaction<T>(work: (q: SqlQuerier) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw explain(location, error);
      }
      const q = querier(client);
      try {
        await q.run('BEGIN');
        await q.run(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
        const result = await work(q);
        await q.run('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw explain(location, error);
      } finally {
        client.release();
      }
    },
    explain: (error) => explain(location, error),
    close: () => pool.end(),
  };
  // Reached now, so that an unreachable server is a clear error before any grading.
  await driver.all('SELECT 1');
  return driver;
}
