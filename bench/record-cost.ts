// What the course record costs per lab: recording one attempt (its report serialised, hashed and
// inserted, one SQLite transaction in WAL mode) for a class of labs, each with the single lab's real
// report; then drawing the class files from the record once. In process, on this machine's disk.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabReport } from '../grader/core/lab-report.ts';
import { exportClassFiles } from '../grader/store/class-exports.ts';
import { openStore } from '../grader/store/open-store.ts';
import { attemptOf } from '../grader/store/record-attempt.ts';

export interface RecordingRecord {
  backend: 'sqlite';
  labs: number;
  /** Bytes of the report recorded (JSON). */
  reportBytes: number;
  /** Each lab's `record`, ms. */
  perLabMs: number[];
  /** Opening the record (migrations on a new file), ms. */
  openMs: number;
  /** Drawing class.xml, gradebook.csv and class.html from the record, ms. */
  exportMs: number;
}

export async function recordingCost(template: LabReport, labs: number, scratch: string): Promise<RecordingRecord> {
  const dir = await mkdtemp(join(scratch, 'record-cost-'));
  try {
    const opened = performance.now();
    const store = await openStore(dir);
    const openMs = performance.now() - opened;
    const perLabMs: number[] = [];
    try {
      for (let i = 0; i < labs; i++) {
        const report: LabReport = { ...template, lab: `bench-${String(i).padStart(3, '0')}`, startedAt: new Date(Date.parse(template.startedAt) + i).toISOString() };
        const t = performance.now();
        await store.record(attemptOf(report, { command: 'class' }));
        perLabMs.push(performance.now() - t);
      }
      const t = performance.now();
      await exportClassFiles(store, dir, { junitFlavor: 'ant' });
      const exportMs = performance.now() - t;
      return { backend: 'sqlite', labs, reportBytes: Buffer.byteLength(JSON.stringify(template)), perLabMs, openMs, exportMs };
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
