import path from 'node:path';
import type { LabReport } from '../core/lab-report.ts';
import { reportFileStem } from '../core/report-files.ts';
import { renderJson } from './json.ts';
import { renderJunit, type JunitFlavor } from './junit.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

export { reportFileStem };

export interface WriteReportsOptions {
  /** @default 'ant' */
  junitFlavor?: JunitFlavor;
}

// Writes `<outDir>/<lab>.xml` (JUnit) and `<outDir>/<lab>.json`, each atomically.
export async function writeReports(
  report: LabReport,
  outDir: string,
  options: WriteReportsOptions = {},
): Promise<{ junitPath: string; jsonPath: string }> {
  const stem = reportFileStem(report.lab);
  const junitPath = path.join(outDir, `${stem}.xml`);
  const jsonPath = path.join(outDir, `${stem}.json`);
  await writeFileAtomic(junitPath, renderJunit(report, options.junitFlavor ?? 'ant'), { root: outDir });
  await writeFileAtomic(jsonPath, renderJson(report), { root: outDir });
  return { junitPath, jsonPath };
}
