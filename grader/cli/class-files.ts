import type { ClassReportPaths } from '../class-report/write-class-reports.ts';
import type { LabReport } from '../core/lab-report.ts';

// The last lines of a class command: how many labs passed everything, could not be graded.
export function classSummary(reports: readonly LabReport[], paths: ClassReportPaths, what = `${reports.length} labs`): string {
  const perfect = reports.filter((r) => r.summary.pass === r.summary.total).length;
  const ungraded = reports.filter((r) => r.summary.error === r.summary.total).length;
  return `${what}: ${perfect} passed every check, ${ungraded} could not be graded\nClass reports: ${[paths.junit, paths.gradebook, paths.html].join(' ')}\n`;
}

export function allPassed(reports: readonly LabReport[]): boolean {
  return reports.every((r) => r.summary.pass === r.summary.total);
}
