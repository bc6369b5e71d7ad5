// The course store's contract against a real PostgreSQL server that the test starts (and drops,
// also on failure), and what an unreachable server looks like.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttemptCache, GAP_PATIENCE_MS } from '../../grader/web/attempt-cache.ts';
import { openStore } from '../../grader/store/open-store.ts';
import { StoreError } from '../../grader/store/store-error.ts';
import { startPostgres, type PostgresServer } from '../support/postgres-server.ts';
import { attemptOf, storeContract } from './store-contract.ts';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.stop());

const databases = new Map<string, string>();
storeContract('PostgreSQL', async () => {
  // One database per test (the roster test opens it twice).
  const name = (expect.getState().currentTestName ?? 'store').replace(/[^a-z0-9]+/gi, '_').slice(0, 50).toLowerCase();
  if (!databases.has(name)) databases.set(name, await server.createDatabase(name));
  return openStore(databases.get(name)!);
});

describe('PostgreSQL course store', () => {
  it('shards opening a new database at once migrate it once and lose no attempt', async () => {
    const url = await server.createDatabase('concurrent_shards');
    const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
    try {
      await Promise.all(stores.map((store, shard) => Promise.all(Array.from({ length: 10 }, (_, i) => store.record(attemptOf(`s${shard}-lab${i}`, '2026-03-01T10:00:00Z', { ping: 'pass' }))))));
      expect(await stores[0]!.countAttempts()).toBe(30);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('an unreachable server, a wrong database: one clear line, the password never shown', async () => {
    const unreachable = await openStore('postgres://grader:s3cret@127.0.0.1:1/course').catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(StoreError);
    expect((unreachable as Error).message).toMatch(/^course record postgres:\/\/grader:\*\*\*@127\.0\.0\.1:1\/course: PostgreSQL cannot be reached \(ECONNREFUSED\)/);
    expect((unreachable as Error).message).not.toContain('s3cret');
    const missing = await openStore(`postgres://postgres@127.0.0.1:${server.port}/no_such_course`).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/database "no_such_course" does not exist: create it first/);
  });
});

describe("the board's attempt cache on PostgreSQL", () => {
  it('shows an attempt that commits after one with a higher id, and gives up on an id rolled back', async () => {
    const url = await server.createDatabase('late_commit');
    const store = await openStore(url);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    let clock = Date.parse('2026-12-07T10:00:00Z');
    const cache = new AttemptCache(store, () => clock);
    try {
      await store.record(attemptOf('nc1', '2026-03-01T10:00:00Z', { ping: 'pass' }));
      // A grading whose insert took the next id but has not committed yet.
      await other.query('BEGIN');
      await other.query(`INSERT INTO attempts (fingerprint, lab, started_at, ended_at, recorded_at, command, machine, status, score, max_score, report)
        SELECT 'late', 'nc2', started_at, ended_at, recorded_at, command, machine, status, score, max_score, report FROM attempts WHERE lab = 'nc1'`);
      await store.record(attemptOf('nc3', '2026-03-01T10:05:00Z', { ping: 'pass' }));
      expect((await cache.all()).map((a) => a.lab)).toEqual(['nc1', 'nc3']);
      await other.query('COMMIT');
      expect((await cache.all()).map((a) => a.lab), 'the late commit, in id order').toEqual(['nc1', 'nc2', 'nc3']);

      // An insert rolled back leaves its id unused: the cache stops waiting for it after a while.
      await other.query('BEGIN');
      await other.query(`INSERT INTO attempts (fingerprint, lab, started_at, ended_at, recorded_at, command, machine, status, score, max_score, report)
        SELECT 'gone', 'nc4', started_at, ended_at, recorded_at, command, machine, status, score, max_score, report FROM attempts WHERE lab = 'nc1'`);
      await other.query('ROLLBACK');
      await store.record(attemptOf('nc5', '2026-03-01T10:10:00Z', { ping: 'pass' }));
      expect((await cache.all()).map((a) => a.lab)).toEqual(['nc1', 'nc2', 'nc3', 'nc5']);
      clock += GAP_PATIENCE_MS;
      await store.record(attemptOf('nc6', '2026-03-01T10:15:00Z', { ping: 'pass' }));
      expect((await cache.all()).map((a) => a.lab)).toEqual(['nc1', 'nc2', 'nc3', 'nc5', 'nc6']);
      expect(await cache.all(), 'read again: nothing twice').toHaveLength(5);
    } finally {
      await other.end();
      await store.close();
    }
  });
});
