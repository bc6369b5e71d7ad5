import { writeClassReports, type ClassReportPaths } from '../class-report/write-class-reports.ts';
import { loadRoster } from '../class-report/roster.ts';
import { classSpan } from '../class-report/collect-class.ts';
import type { LabReport } from '../core/lab-report.ts';
import type { JunitFlavor } from '../report/junit.ts';

interface ClassFileOptions {
  out: string;
  roster?: string;
  junitFlavor: JunitFlavor;
  gradescope: boolean;
  checkIds: string[];
}

// class.xml, gradebook.csv, class.html (and the Gradescope files) in `out` from the labs' reports.
export async function writeClassFiles(reports: LabReport[], run: { startedAt: string; durationMs: number }, options: ClassFileOptions): Promise<ClassReportPaths> {
  const roster = options.roster ? await loadRoster(options.roster) : undefined;
  return writeClassReports(
    { ...run, labs: reports.map((report) => ({ lab: report.lab, student: roster?.get(report.lab), report })) },
    options.out,
    { checkIds: options.checkIds, junitFlavor: options.junitFlavor, gradescope: options.gradescope },
  );
}

// The span of a class graded in pieces: from the first lab's start to the last lab's end.
export function spanOf(reports: readonly LabReport[]): { startedAt: string; durationMs: number } {
  return classSpan(reports, { startedAt: new Date().toISOString(), durationMs: 0 });
}

// The last lines of a class command: how many labs passed everything, could not be graded.
export function classSummary(reports: readonly LabReport[], paths: ClassReportPaths, what = `${reports.length} labs`): string {
  const perfect = reports.filter((r) => r.summary.pass === r.summary.total).length;
  const ungraded = reports.filter((r) => r.summary.error === r.summary.total).length;
  return `${what}: ${perfect} passed every check, ${ungraded} could not be graded\nClass reports: ${[paths.junit, paths.gradebook, paths.html].join(' ')}\n`;
}

export function allPassed(reports: readonly LabReport[]): boolean {
  return reports.every((r) => r.summary.pass === r.summary.total);
}
