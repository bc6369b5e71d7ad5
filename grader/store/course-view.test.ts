import { describe, expect, it } from 'vitest';
import { DIGEST_A, DIGEST_B, labReport, type Statuses } from '../../test/support/store-reports.ts';
import { attemptHistory } from './attempt-history.ts';
import type { Attempt, StoredRoster } from './course-store.ts';
import { courseView, type ViewOptions } from './course-view.ts';

let id = 0;
function attempt(lab: string, startedAt: string, statuses: Statuses, provenance = DIGEST_A, status: Attempt['status'] = 'complete'): Attempt {
  const report = labReport(lab, startedAt, statuses, provenance);
  return {
    id: ++id,
    lab,
    startedAt,
    endedAt: startedAt,
    recordedAt: startedAt,
    command: 'class',
    machine: 'm',
    status,
    score: report.score,
    maxScore: report.maxScore,
    checksDigest: provenance.checksDigest,
    report,
  };
}

const roster = (entries: StoredRoster['entries'], version = 1): StoredRoster => ({ version, givenAt: '2026-01-01T00:00:00.000Z', source: 'r.csv', entries });
const options = (extra: Partial<ViewOptions> = {}): ViewOptions => ({ rosters: [roster([{ lab: 'nc1', id: 's1' }, { lab: 'nc2', id: 's2', extension: '2d' }, { lab: 'nc3', id: 's3' }])], latePolicy: { kind: 'on-time' }, policy: 'latest', ...extra });
const DEADLINE = '2026-03-10T12:00:00.000Z';
const two = { a: 'pass', b: 'pass' } as const;
const one = { a: 'pass', b: 'fail' } as const;

describe('courseView', () => {
  const attempts = [
    attempt('nc1', '2026-03-09T10:00:00.000Z', one),
    attempt('nc1', '2026-03-10T11:00:00.000Z', two),
    attempt('nc1', '2026-03-11T12:30:00.000Z', one),
    // nc2 has two more days: its attempt of the 11th is on time.
    attempt('nc2', '2026-03-11T10:00:00.000Z', two),
    attempt('nc3', '2026-03-12T10:00:00.000Z', two),
  ];
  const lab = (view: ReturnType<typeof courseView>, name: string) => view.labs.find((l) => l.lab === name)!;

  it('on-time: the last attempt before the student\'s deadline counts; a lab graded only late scores 0', () => {
    const view = courseView(attempts, options({ deadline: DEADLINE }));
    expect(lab(view, 'nc1').attempt).toMatchObject({ at: '2026-03-10T11:00:00.000Z', lateByMs: 0, credited: 2 });
    expect(lab(view, 'nc2').attempt).toMatchObject({ lateByMs: 0, credited: 2, deadline: '2026-03-12T12:00:00.000Z' });
    expect(lab(view, 'nc3').attempt).toMatchObject({ lateByMs: 46 * 3_600_000, credited: 0 });
    expect(lab(view, 'nc1').student).toEqual({ id: 's1' });
  });

  it('penalty per started day, no-credit, and best', () => {
    const penalty = courseView(attempts, options({ deadline: DEADLINE, latePolicy: { kind: 'penalty', percentPerDay: 10 } }));
    // 24.5 h late: two started days, 20 %.
    expect(lab(penalty, 'nc1').attempt).toMatchObject({ at: '2026-03-11T12:30:00.000Z', credited: 0.8 });
    expect(lab(penalty, 'nc3').attempt).toMatchObject({ credited: 1.6 });
    const none = courseView(attempts, options({ deadline: DEADLINE, latePolicy: { kind: 'no-credit' } }));
    expect(lab(none, 'nc1').attempt!.credited).toBe(0);
    const best = courseView(attempts, options({ deadline: DEADLINE, latePolicy: { kind: 'penalty', percentPerDay: 10 }, policy: 'best' }));
    expect(lab(best, 'nc1').attempt).toMatchObject({ at: '2026-03-10T11:00:00.000Z', credited: 2 });
  });

  it('without a deadline nothing is late; an interrupted attempt never counts', () => {
    const view = courseView([...attempts, attempt('nc1', '2026-03-13T00:00:00.000Z', two, DIGEST_A, 'interrupted')], options());
    expect(lab(view, 'nc1').attempt).toMatchObject({ at: '2026-03-11T12:30:00.000Z', lateByMs: 0, credited: 1 });
  });

  it('counts only the gradings of the latest way of grading; labs graded only another way are named', () => {
    const view = courseView([attempt('nc1', '2026-03-09T10:00:00.000Z', two), attempt('nc2', '2026-03-09T11:00:00.000Z', one, DIGEST_B)], options());
    expect(view.provenance).toEqual(DIGEST_B);
    expect(view.labs.map((l) => l.lab)).toEqual(['nc2']);
    expect(view.otherChecks).toEqual(['nc1']);
    expect(view.missing).toEqual(['nc3']);
  });

  it('keeps a student dropped from a newer roster on their gradings, and names the roster\'s problems', () => {
    const rosters = [roster([{ lab: 'nc1', id: 's1', name: 'Ada' }, { lab: 'nc2', id: 's2' }]), roster([{ lab: 'nc2', id: 's2' }, { lab: 'nc9', id: 's2' }], 2)];
    const view = courseView([attempt('nc1', '2026-03-09T10:00:00.000Z', two), attempt('nc2', '2026-03-09T10:00:00.000Z', two)], { ...options(), rosters, classLabs: ['nc1', 'nc2', 'nc3'] });
    expect(lab(view, 'nc1').student).toEqual({ id: 's1', name: 'Ada' });
    expect(view.missing).toEqual(['nc3']);
    expect(view.roster).toMatchObject({ unknownLabs: [{ lab: 'nc9' }], withoutStudent: ['nc1', 'nc3'], twoLabs: [{ id: 's2', labs: ['nc2', 'nc9'] }] });
  });
});

describe('attemptHistory', () => {
  it('lists each lab\'s attempts in time order, late or not, with the results that flipped', () => {
    const lines = attemptHistory(
      [attempt('nc1', '2026-03-11T12:30:00.000Z', { a: 'pass', c: 'error' }), attempt('nc1', '2026-03-09T10:00:00.000Z', one)],
      { rosters: [roster([{ lab: 'nc1', id: 's1' }])], extensions: new Map(), deadline: DEADLINE },
    );
    expect(lines.map((l) => [l.startedAt, l.lateByMs > 0, l.flipped])).toEqual([
      ['2026-03-09T10:00:00.000Z', false, [{ result: 'a vm1', to: 'pass' }, { result: 'b vm1', to: 'fail' }]],
      ['2026-03-11T12:30:00.000Z', true, [{ result: 'c vm1', to: 'error' }, { result: 'b vm1', from: 'fail' }]],
    ]);
  });

  it('an extension set apart from the roster wins over the roster\'s column', () => {
    const [line] = attemptHistory([attempt('nc2', '2026-03-11T10:00:00.000Z', two)], { rosters: [roster([{ lab: 'nc2', id: 's2' }])], extensions: new Map([['s2', '1d']]), deadline: DEADLINE });
    expect(line!.lateByMs).toBe(0);
  });
});
