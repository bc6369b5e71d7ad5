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
