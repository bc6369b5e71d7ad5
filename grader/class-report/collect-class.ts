import type { LabReport } from '../core/lab-report.ts';

// When the class was graded: from the first lab's start to the last lab's end over every report
// collected (several runs, shards, regrades), not only the last run's.
export function classSpan(reports: readonly LabReport[], fallback: { startedAt: string; durationMs: number }): { startedAt: string; durationMs: number } {
  const times = reports.map((r) => ({ start: Date.parse(r.startedAt), end: Date.parse(r.startedAt) + r.durationMs })).filter((t) => Number.isFinite(t.start));
  if (times.length === 0) return fallback;
  const start = Math.min(...times.map((t) => t.start));
  const end = Math.max(...times.map((t) => t.end));
  return { startedAt: new Date(start).toISOString(), durationMs: end - start };
}
