import path from 'node:path';
import type { LabReport } from '../core/lab-report.ts';
import { renderJson } from './json.ts';
import { renderJunit, type JunitFlavor } from './junit.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

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
  await writeFileAtomic(junitPath, renderJunit(report, options.junitFlavor ?? 'ant'));
  await writeFileAtomic(jsonPath, renderJson(report));
  return { junitPath, jsonPath };
}

// A lab name made safe as a file name: no separators, no leading dot, never empty.
export function reportFileStem(lab: string): string {
  const stem = lab
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.-]+/, '')
    .replace(/-+$/, '');
  return stem === '' ? 'lab' : stem.slice(0, 100);
}
