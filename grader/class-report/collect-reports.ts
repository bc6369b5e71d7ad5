import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { LabReport } from '../core/lab-report.ts';
import { readLabReportFile } from '../report/read-report.ts';
import { reportFileStem } from '../report/write-reports.ts';

export interface StoredReport {
  /** The JSON file it was read from. */
  file: string;
  report: LabReport;
}

// Every lab report kept in a directory: the `NAME.json` files directly in it whose lab is NAME
// (class files, Gradescope results and rescored copies in subdirectories are not lab reports).
// A missing directory is an empty one. This is the one step merge and rescore read reports with.
export async function collectReports(dir: string): Promise<StoredReport[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const found: StoredReport[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const kept = await readLabReportFile(file);
    const report = kept?.ok ? kept.report : undefined;
    if (report && `${reportFileStem(report.lab)}.json` === name) found.push({ file, report });
  }
  return found;
}
