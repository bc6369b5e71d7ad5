import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabReport } from '../core/lab-report.ts';
import { JSON_SCHEMA_VERSION } from './json.ts';
import { reportFileStem } from './write-reports.ts';

// A lab's JSON report from an earlier run, or undefined when there is none or it is not a whole
// report of that lab (written atomically, so a half-written file cannot be there).
export async function readLabReport(outDir: string, lab: string): Promise<LabReport | undefined> {
  const report = await readLabReportFile(path.join(outDir, `${reportFileStem(lab)}.json`));
  return report?.lab === lab ? report : undefined;
}

// The lab report a JSON file holds, or undefined when the file is missing or not a lab report of
// this schema version.
export async function readLabReportFile(file: string): Promise<LabReport | undefined> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  const d = document as Partial<LabReport> & { schemaVersion?: number };
  if (d.schemaVersion !== JSON_SCHEMA_VERSION || typeof d.lab !== 'string' || !Array.isArray(d.results) || !d.summary) return undefined;
  const { schemaVersion: _version, generator: _generator, ...report } = d as LabReport & { schemaVersion: number; generator: string };
  return report;
}
