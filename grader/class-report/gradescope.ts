import type { CheckResult } from '../core/result.ts';
import { formatPoints, resultLabel } from '../report/result-label.ts';
import { sanitizeLine, sanitizeText } from '../report/sanitize.ts';
import { adviceOf, diagnosisBlock } from '../report/diagnosis-text.ts';
import { couldNotBeGraded, whyNotGraded, type ClassLab } from './class-report.ts';

interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: 'visible';
}

// A Gradescope autograder `results.json` for one lab: the score, the run time in seconds, a
// summary, and one test per check and host. An error is `failed` with 0 points and says it could
// not be graded: Gradescope knows no third state.
export function renderGradescopeResults(lab: ClassLab): string {
  const { report } = lab;
  const tests = report.results.map(
    (result): GradescopeTest => ({
      name: resultLabel(result) || 'check',
      score: result.points,
      max_score: result.maxPoints,
      status: result.status === 'pass' ? 'passed' : 'failed',
      output: testOutput(result, report),
      visibility: 'visible',
    }),
  );
  const results = {
    score: report.score,
    execution_time: Math.round(Math.max(0, report.durationMs) / 1000),
    output: summary(lab),
    tests,
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}

function summary({ lab, report }: ClassLab): string {
  const name = sanitizeLine(lab);
  if (couldNotBeGraded(report)) {
    return [`${name} could not be graded: nothing could be checked.`, ...whyNotGraded(report).map((why) => sanitizeLine(why))].join('\n');
  }
  const { pass, fail, error } = report.summary;
  const notGraded = error > 0 ? `, ${error} could not be graded` : '';
  return `${name}: ${formatPoints(report.score)}/${formatPoints(report.maxScore)} points (${pass} passed, ${fail} failed${notGraded})`;
}

// The message, what was expected and seen, the figures measured, then the fix.
function testOutput(result: CheckResult, report: ClassLab['report']): string {
  const lines = [result.status === 'error' ? `Could not be graded: ${sanitizeText(result.message)}` : sanitizeText(result.message)];
  if (result.expected !== undefined) lines.push(`Expected: ${sanitizeText(result.expected)}`);
  if (result.actual !== undefined) lines.push(`Actual: ${sanitizeText(result.actual)}`);
  const measured = Object.entries(result.measurements).map(([name, value]) => `${sanitizeLine(name)}=${value}`);
  if (measured.length > 0) lines.push(`Measured: ${measured.join(', ')}`);
  const advice = adviceOf(report, result);
  if (advice !== undefined) lines.push(`Hint: ${sanitizeText(advice)}`);
  if (result.status !== 'pass') lines.push(...diagnosisBlock(report, result));
  return lines.join('\n');
}
