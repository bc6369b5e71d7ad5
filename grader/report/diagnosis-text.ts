// A diagnosis as people read it, the same in the console, JUnit and Gradescope: where, what, the
// commands to type, how to keep the fix.
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import type { CheckResult } from '../core/result.ts';
import type { LabReport } from '../core/lab-report.ts';
import { ROLE_LABELS, isRole } from '../core/roles.ts';
import { sanitizeLine } from './sanitize.ts';

export function whereLabel(d: Pick<Diagnosis, 'host' | 'nic'>): string {
  const host = isRole(d.host) ? ROLE_LABELS[d.host] : 'the lab';
  return d.nic ? `${host}, ${sanitizeLine(d.nic)}` : host;
}

/** `[cause] where: summary`, then the commands (indented), then the persistence note. */
export function diagnosisLines(d: Diagnosis, indent = '    '): string[] {
  return [
    `[${sanitizeLine(d.cause)}] ${whereLabel(d)}: ${sanitizeLine(d.summary)}`,
    ...d.fix.map((c) => `${indent}${sanitizeLine(c)}`),
    ...(d.persist ? [`${indent}To keep it after a reboot: ${sanitizeLine(d.persist)}`] : []),
  ];
}

/** The diagnoses that explain this result, in the report's order. */
export function diagnosesOf(report: Pick<LabReport, 'diagnoses'>, result: Pick<CheckResult, 'id' | 'host'>): Diagnosis[] {
  const name = resultName(result);
  return (report.diagnoses ?? []).filter((d) => d.results.includes(name));
}

/** The "Diagnosis" block of a result's text (JUnit, Gradescope); empty when none concerns it. */
export function diagnosisBlock(report: Pick<LabReport, 'diagnoses'>, result: Pick<CheckResult, 'id' | 'host'>): string[] {
  const concerned = diagnosesOf(report, result);
  if (concerned.length === 0) return [];
  return ['', concerned.length === 1 ? 'Why, and what to fix:' : 'Why, and what to fix, in order:', ...concerned.flatMap((d) => diagnosisLines(d, '  $ '))];
}

/**
 * The advice a result gets beside its line, in every report: none when it passed or when a
 * diagnosis explains it (the diagnosis' fix is the advice, said once); for a result that could not
 * be graded only its own (install a tool), never the check file's exercise hint, which is about
 * building the lab, not about reaching it.
 */
export function adviceOf(report: Pick<LabReport, 'diagnoses'>, result: Pick<CheckResult, 'id' | 'host' | 'status' | 'hint' | 'ownHint'>): string | undefined {
  if (result.status === 'pass' || result.hint === undefined) return undefined;
  if (result.status === 'error' && result.ownHint !== true) return undefined;
  return diagnosesOf(report, result).length > 0 ? undefined : result.hint;
}
