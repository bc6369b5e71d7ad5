import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCheckFile } from '../config/check-file.ts';
import { openStore } from '../store/open-store.ts';
import { KnownHosts } from '../transport/known-hosts.ts';
import { CourseEvents, type AttemptEvent } from './course-events.ts';
import { INTERRUPTED_MESSAGE, recoverInterrupted } from './course-server.ts';
import { RunningJournal } from './running-journal.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('a course server restarted after a crash', () => {
  it('records the gradings its journal says were running as interrupted, each check an error, and empties the journal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlg-recover-'));
    dirs.push(dir);
    const store = await openStore(join(dir, 'record'));
    const journal = new RunningJournal(join(dir, 'running'));
    const events = new CourseEvents();
    const seen: AttemptEvent[] = [];
    events.onAttempt((e) => seen.push(e));
    const checks = await loadCheckFile(new URL('../../checks/exercise.yaml', import.meta.url).pathname);
    const finished = await journal.begin({ lab: 'nc01', studentId: 's1', startedAt: '2026-03-10T22:58:00.000Z', sourceAddress: '198.51.100.7' });
    await journal.end(finished);
    await journal.begin({ lab: 'nc02', studentId: 's2', startedAt: '2026-03-10T22:59:00.000Z', sourceAddress: '198.51.100.8' });
    try {
      const context = { store, events, checks, provenance: { checksDigest: 'sha256:00', graderVersion: '0.1.0' }, connectOptions: { credentials: {}, knownHosts: await KnownHosts.load(join(dir, 'kh')), hostKeyPolicy: 'off' as const }, journal, now: () => new Date('2026-03-10T23:05:00Z'), baseUrl: 'http://x' };
      expect(await recoverInterrupted(context)).toBe(1);
      const attempts = await store.attempts();
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ lab: 'nc02', studentId: 's2', status: 'interrupted', command: 'submit', sourceAddress: '198.51.100.8', startedAt: '2026-03-10T22:59:00.000Z', endedAt: '2026-03-10T23:05:00.000Z', score: 0 });
      const results = attempts[0]!.report!.results;
      expect(results.length).toBeGreaterThan(0);
      expect(new Set(results.map((r) => `${r.status}: ${r.message}`))).toEqual(new Set([`error: ${INTERRUPTED_MESSAGE}`]));
      expect(seen).toEqual([{ id: attempts[0]!.id, lab: 'nc02', state: 'recorded' }]);
      expect(await readdir(join(dir, 'running'))).toEqual([]);
      expect(await recoverInterrupted(context)).toBe(0);
    } finally {
      await store.close();
    }
  });
});
