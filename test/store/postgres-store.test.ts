// The course store's contract against a real PostgreSQL server that the test starts (and drops,
// also on failure), and what an unreachable server looks like.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
