import path from 'node:path';
import { collectReports, type StoredReport } from '../class-report/collect-reports.ts';
import type { Attempt, NewAttempt, StoredRoster } from '../store/course-store.ts';
import { courseView } from '../store/course-view.ts';
import { isPostgresUrl, openStore, STORE_FILE } from '../store/open-store.ts';
import { asConfigError, fileExists } from './course-record.ts';

// What merge and rescore read from one source: a course record (a folder with grades.sqlite, or a
// PostgreSQL URL) or a folder of JSON reports (a shard of today's grader, or of an older one).
export interface Source {
  where: string;
  /** Each lab's current grading there (the latest, of the latest way of grading). */
  current: StoredReport[];
  /** Every attempt to copy (a record's own attempts; JSON reports as new ones). */
  attempts: NewAttempt[];
  rosters: StoredRoster[];
}

const isRecordFolder = (dir: string) => fileExists(path.join(dir, STORE_FILE));

const copied = ({ id: _id, recordedAt: _at, score: _s, maxScore: _m, checksDigest: _d, graderVersion: _v, only: _o, report, ...attempt }: Attempt): NewAttempt => ({ ...attempt, report: report! });

export async function readSource(where: string): Promise<Source> {
  if (isPostgresUrl(where) || (await isRecordFolder(where))) {
    let store;
    try {
      store = await openStore(where);
    } catch (error) {
      throw asConfigError(error);
    }
    try {
      const [attempts, rosters] = await Promise.all([store.attempts(), store.rosters()]);
      const view = courseView(attempts, { rosters, latePolicy: { kind: 'penalty', percentPerDay: 0 }, policy: 'latest' });
      return {
        where: store.location,
        current: view.labs.map((lab) => ({ file: `${store.location} (${lab.lab})`, report: lab.report })),
        attempts: attempts.filter((a) => a.report).map(copied),
        rosters,
      };
    } finally {
      await store.close();
    }
  }
  const current = await collectReports(where);
  return { where, current, attempts: [], rosters: [] };
}
