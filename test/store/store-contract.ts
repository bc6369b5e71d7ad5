// The course store's contract, run against every backend (SQLite here, PostgreSQL in
// postgres-store.test.ts): the same behaviour whatever the database.
import { describe, expect, it } from 'vitest';
import type { CourseStore, NewAttempt } from '../../grader/store/course-store.ts';
import { DIGEST_A, labReport, type Statuses } from '../support/store-reports.ts';

export function attemptOf(lab: string, startedAt: string, statuses: Statuses, extra: Partial<NewAttempt> = {}): NewAttempt {
  const report = labReport(lab, startedAt, statuses, extra.report?.provenance ?? DIGEST_A);
  const endedAt = new Date(Date.parse(startedAt) + 1000).toISOString();
  return { lab, startedAt: new Date(startedAt).toISOString(), endedAt, command: 'grade', machine: 'grader-1', status: 'complete', report, ...extra };
}

export function storeContract(name: string, open: () => Promise<CourseStore>): void {
  describe(`course store contract (${name})`, () => {
    it('records attempts append-only, in order, with their reports, and reads them back by lab and time', async () => {
      const store = await open();
      try {
        const first = await store.record(attemptOf('nc1', '2026-03-01T10:00:00Z', { ping: 'fail', iperf: 'pass' }, { studentId: 's1' }));
        const second = await store.record(attemptOf('nc1', '2026-03-02T10:00:00Z', { ping: 'pass', iperf: 'pass' }, { studentId: 's1', command: 'class' }));
        await store.record(attemptOf('nc2', '2026-03-02T11:00:00Z', { ping: 'error', iperf: 'error' }, { command: 'submit', sourceAddress: '203.0.113.9' }));
        expect(first.fresh && second.fresh).toBe(true);
        expect(second.attempt.id).toBeGreaterThan(first.attempt.id);
        const all = await store.attempts();
        expect(all.map((a) => [a.lab, a.score, a.maxScore, a.command])).toEqual([
          ['nc1', 1, 2, 'grade'],
          ['nc1', 2, 2, 'class'],
          ['nc2', 0, 2, 'submit'],
        ]);
        expect(all[0]!.report!.results.map((r) => r.status)).toEqual(['fail', 'pass']);
        expect(all[0]).toMatchObject({ studentId: 's1', checksDigest: DIGEST_A.checksDigest, graderVersion: '0.1.0', machine: 'grader-1', status: 'complete', endedAt: '2026-03-01T10:00:01.000Z' });
        expect(all[2]!.sourceAddress).toBe('203.0.113.9');
        expect(all[2]!.studentId).toBeUndefined();
        expect((await store.attempts({ labs: ['nc2'] })).map((a) => a.lab)).toEqual(['nc2']);
        expect((await store.attempts({ endedBy: '2026-03-01T23:00:00Z' })).length).toBe(1);
        expect((await store.attempts({ afterId: first.attempt.id, reports: false })).every((a) => a.report === undefined)).toBe(true);
        expect(await store.countAttempts()).toBe(3);
      } finally {
        await store.close();
      }
    });

    it('records the same report once, however often it is imported or merged', async () => {
      const store = await open();
      try {
        const attempt = attemptOf('nc3', '2026-03-01T10:00:00Z', { ping: 'pass' });
        const first = await store.record(attempt);
        const again = await store.recordAll([{ ...attempt, command: 'import' }, attemptOf('nc3', '2026-03-01T12:00:00Z', { ping: 'pass' })]);
        expect(again.map((r) => r.fresh)).toEqual([false, true]);
        expect(again[0]!.attempt.id).toBe(first.attempt.id);
        expect(again[0]!.attempt.command).toBe('grade');
        expect((await store.attempts({ labs: ['nc3'] })).length).toBe(2);
      } finally {
        await store.close();
      }
    });

    it('keeps every roster version, adds none for the same roster, and reopens with what it kept', async () => {
      let store = await open();
      const entries = [{ lab: 'nc1', id: 's1', name: 'Zoë', email: 'z@example.edu' }, { lab: 'nc2', id: 's2', extension: '2d' }];
      try {
        expect(await store.roster()).toBeUndefined();
        expect((await store.putRoster(entries, 'roster.csv')).version).toBe(1);
        expect((await store.putRoster(entries, 'roster-again.csv')).version).toBe(1);
        expect((await store.putRoster(entries.slice(0, 1), 'fewer.csv')).version).toBe(2);
      } finally {
        await store.close();
      }
      store = await open();
      try {
        expect((await store.roster())!.entries).toEqual(entries.slice(0, 1));
        expect((await store.rosters()).map((r) => [r.version, r.source, r.entries.length])).toEqual([[1, 'roster.csv', 2], [2, 'fewer.csv', 1]]);
      } finally {
        await store.close();
      }
    });

    it('keeps settings and extensions, latest first, and clears an extension', async () => {
      const store = await open();
      try {
        expect(await store.setting('deadline')).toBeUndefined();
        await store.setSetting('deadline', '2026-03-10T23:59:00.000Z');
        await store.setSetting('deadline', '2026-03-11T23:59:00.000Z');
        expect(await store.setting('deadline')).toBe('2026-03-11T23:59:00.000Z');
        await store.setExtension('s1', '2d');
        await store.setExtension('s2', '3d');
        await store.setExtension('s2', undefined);
        expect([...(await store.extensions())]).toEqual([['s1', '2d']]);
      } finally {
        await store.close();
      }
    });

    it('keeps one course secret, checks the board secret and tokens by hash, and revokes tokens', async () => {
      const store = await open();
      try {
        const secret = await store.courseSecret();
        expect(await store.courseSecret()).toBe(secret);
        const board = await store.newBoardSecret();
        expect(await store.checkBoardSecret(board)).toBe(true);
        expect(await store.checkBoardSecret(`${board}x`)).toBe(false);
        const newer = await store.newBoardSecret();
        expect(await store.checkBoardSecret(board)).toBe(false);
        expect(await store.checkBoardSecret(newer)).toBe(true);

        const { token, record } = await store.issueToken('s1', 'nc1');
        const other = await store.issueToken('s2', 'nc2');
        expect(await store.checkToken(token)).toMatchObject({ id: record.id, studentId: 's1', lab: 'nc1' });
        expect(await store.checkToken('not-a-token')).toBeUndefined();
        expect(await store.revokeTokens('s1')).toBe(1);
        expect(await store.revokeTokens('s1')).toBe(0);
        expect(await store.checkToken(token)).toBeUndefined();
        expect(await store.checkToken(other.token)).toMatchObject({ studentId: 's2' });
        const listed = await store.tokens();
        expect(listed.map((t) => [t.studentId, t.revokedAt !== undefined])).toEqual([['s1', true], ['s2', false]]);
        expect(JSON.stringify(listed)).not.toContain(token);
      } finally {
        await store.close();
      }
    });

    it('keeps each student\'s latest plan', async () => {
      const store = await open();
      try {
        await store.putPlan('s1', { net1: '10.1.0.0/24' });
        await store.putPlan('s1', { net1: '10.9.0.0/24' });
        await store.putPlan('s2', { net1: '10.2.0.0/24' });
        expect((await store.plans()).map((p) => [p.studentId, p.plan])).toEqual([['s1', { net1: '10.9.0.0/24' }], ['s2', { net1: '10.2.0.0/24' }]]);
      } finally {
        await store.close();
      }
    });
  });
}
