import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../config/schema-validator.ts';
import type { GradingProvenance, LabReport } from '../core/lab-report.ts';
import { reportFileStem } from '../core/report-files.ts';
import { gradingDifference, sameGrading } from '../core/same-grading.ts';
import { reportSchema } from './report-schema.ts';

export type KeptReport = { ok: true; report: LabReport } | { ok: false; reason: string };

function schemaProblem(error: ErrorObject): string {
  const where = error.instancePath || '/';
  return error.keyword === 'enum' ? `${where} ${error.message}: ${(error.params.allowedValues as unknown[]).join(', ')}` : `${where} ${error.message ?? 'is invalid'}`;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

// What the schema cannot say: the score is the sum of the points, the counts those of the results.
function inconsistency(report: LabReport): string | undefined {
  for (const [i, r] of report.results.entries()) {
    if (r.points > r.maxPoints) return `/results/${i}: ${r.points} points of ${r.maxPoints}`;
    if (r.status !== 'pass' && r.points !== 0) return `/results/${i}: ${r.points} points for a result that did not pass`;
  }
  const score = report.results.reduce((sum, r) => sum + r.points, 0);
  const maxScore = report.results.reduce((sum, r) => sum + r.maxPoints, 0);
  if (!close(report.score, score)) return `score ${report.score} is not the sum of its points (${score})`;
  if (!close(report.maxScore, maxScore)) return `maxScore ${report.maxScore} is not the sum of its results' points (${maxScore})`;
  const counted = { pass: 0, fail: 0, error: 0 };
  for (const r of report.results) counted[r.status] += 1;
  const { summary } = report;
  if (summary.total !== report.results.length || summary.pass !== counted.pass || summary.fail !== counted.fail || summary.error !== counted.error) {
    return `summary ${JSON.stringify(summary)} does not count its ${report.results.length} results`;
  }
  return undefined;
}

/**
 * Whether a JSON report written earlier (the parsed document) may stand for its lab: it matches
 * the report's JSON Schema (report.schema.json), its score, maximum and counts are those of its
 * results, and, given the current run's provenance, it was graded with the same check file and
 * the same --only selection (the grader's version may differ). Fields it does not know are
 * allowed. For --resume and for anything else that reads kept reports (merge): a report that
 * fails is graded again, never used; `reason` says why in one line.
 */
export function validateKeptReport(document: unknown, expectedProvenance?: GradingProvenance, lab?: string): KeptReport {
  const validateSchema = schemaValidator(reportSchema, 'report');
  if (!validateSchema(document)) return { ok: false, reason: `not a valid report: ${schemaProblem(validateSchema.errors![0]!)}` };
  const { schemaVersion: _version, generator: _generator, ...report } = document as LabReport & { schemaVersion: number; generator: string };
  if (lab !== undefined && report.lab !== lab) return { ok: false, reason: `the report of another lab (${report.lab})` };
  const wrong = inconsistency(report);
  if (wrong) return { ok: false, reason: `not a consistent report: ${wrong}` };
  if (expectedProvenance && !sameGrading(report.provenance, expectedProvenance)) return { ok: false, reason: gradingDifference(report.provenance, expectedProvenance) };
  return { ok: true, report };
}

/**
 * A lab's JSON report from an earlier run: undefined when there is none; else validateKeptReport's
 * verdict (written atomically, so a half-written file cannot be there, but it may be edited,
 * crafted, or graded with other checks).
 */
export async function readLabReport(outDir: string, lab: string, expectedProvenance?: GradingProvenance): Promise<KeptReport | undefined> {
  return readLabReportFile(path.join(outDir, `${reportFileStem(lab)}.json`), expectedProvenance, lab);
}

// The same for a report file of any name (merge reads every NAME.json of a folder).
export async function readLabReportFile(file: string, expectedProvenance?: GradingProvenance, lab?: string): Promise<KeptReport | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { ok: false, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  return validateKeptReport(document, expectedProvenance, lab);
}
