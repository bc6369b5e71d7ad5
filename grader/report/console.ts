import type { Status } from '../core/result.ts';
import type { LabReport } from '../core/lab-report.ts';
import { namespaceBestScoreLine } from '../core/best-score.ts';
import { sanitizeLine } from './sanitize.ts';
import { formatPoints, resultLabel } from './result-label.ts';
import { adviceOf, diagnosisLines } from './diagnosis-text.ts';
import { wrapWords } from './wrap-words.ts';

export interface ConsoleOptions {
  color: boolean;
  /** Marks `+ x !` and `->` instead of `✔ ✘ !` and `→`, for terminals without UTF-8. @default false */
  ascii?: boolean;
  /** The terminal's width in columns: lines wrap at words to it. Unset (a log, a pipe): no wrapping. */
  width?: number;
}

const MARKS: Record<Status, { unicode: string; ascii: string; color: (s: string) => string }> = {
  pass: { unicode: '✔', ascii: '+', color: (s) => `\x1b[32m${s}\x1b[39m` },
  fail: { unicode: '✘', ascii: 'x', color: (s) => `\x1b[31m${s}\x1b[39m` },
  error: { unicode: '!', ascii: '!', color: (s) => `\x1b[33m${s}\x1b[39m` },
};
const bold = (s: string): string => `\x1b[1m${s}\x1b[22m`;

// The summary printed after a run: one line per check, the score, the hints of the results no
// diagnosis explains, then the diagnoses.
export function renderConsole(report: LabReport, options: ConsoleOptions): string {
  const paint = (status: Status, s: string): string => (options.color ? MARKS[status].color(s) : s);
  // At least 30 columns of room, so that a narrow terminal gets short lines rather than a column of words.
  const wrap = (text: string, column: number, indent: number): string =>
    options.width === undefined ? text : wrapWords(text, Math.max(options.width, column + 30), column, indent).join('\n');
  const rows = report.results.map((result) => ({
    result,
    points: `${formatPoints(result.points)}/${formatPoints(result.maxPoints)}`,
    label: resultLabel(result),
  }));
  const pointsWidth = Math.max(0, ...rows.map((r) => r.points.length));
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length));

  const heading = `Results for ${sanitizeLine(report.lab)}`;
  const lines = [options.color ? bold(heading) : heading];
  // Roles found from the hypervisor's topology: which domain is which, and what does not fit.
  if (report.discovery) {
    const d = report.discovery;
    lines.push(`Found on ${sanitizeLine(d.hypervisor)}: ${d.roles.map((r) => sanitizeLine(r.domain ? r.why : `${r.role}: ${r.why}`)).join('; ')}`);
    for (const problem of d.problems) lines.push(`  not the exercise's shape: ${sanitizeLine(problem)}`);
  }
  for (const { result, points, label } of rows) {
    const mark = options.ascii ? MARKS[result.status].ascii : MARKS[result.status].unicode;
    const head = paint(result.status, `${mark} ${points.padStart(pointsWidth)}`);
    const column = 1 + 1 + pointsWidth + 2 + labelWidth + 2;
    lines.push(`${head}  ${label.padEnd(labelWidth)}  ${wrap(sanitizeLine(result.message), column, column)}`.trimEnd());
  }

  const count = (status: Status): number => report.results.filter((r) => r.status === status).length;
  const total = summaryLine(report.score, report.maxScore, { pass: count('pass'), fail: count('fail'), error: count('error') });
  lines.push(options.color ? bold(total) : total);
  const best = namespaceBestScoreLine(report, formatPoints);
  if (best) lines.push(best);

  const arrow = options.ascii ? '->' : '→';
  for (const { result, label } of rows) {
    const hint = sanitizeLine(adviceOf(report, result) ?? '');
    if (hint) lines.push(`${paint(result.status, arrow)} ${wrap(`${label}: ${hint}`, arrow.length + 1, arrow.length + 1)}`);
  }

  // The diagnosis: one block per root cause, first on the path first, each naming what it explains.
  const diagnoses = report.diagnoses ?? [];
  if (diagnoses.length > 0) {
    lines.push('', options.color ? bold('What to fix, in order') : 'What to fix, in order');
    diagnoses.forEach((d, i) => {
      const [head = '', ...rest] = diagnosisLines(d, '     ');
      lines.push(`${i + 1}. ${head}`, ...rest);
      if (d.results.length > 0) lines.push(`     Explains: ${d.results.map(sanitizeLine).join(', ')}`);
    });
  }
  // For the instructor: what the VMs showed of hooks and mounts, and what the verdicts rest on.
  const review = report.review ?? [];
  if (review.length > 0) {
    lines.push('', options.color ? bold('For the instructor to review') : 'For the instructor to review');
    for (const f of review) lines.push(`- ${sanitizeLine(f.host)}: ${wrap(sanitizeLine(f.what), 2, 4)}`, ...(f.seen ?? []).map((l) => `    ${sanitizeLine(l)}`));
  }
  if (report.evidenceBasis) lines.push(`Evidence: ${sanitizeLine(report.evidenceBasis.note)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The console's summary line, a contract for CI scripts (docs/reference-lab.md, exit-codes.ts):
 * `Score: S/M (P passed, F failed, E errors)`. Exit 1 says only "not every check passed"; F > 0
 * means a check failed (the lab was observed wrong), E > 0 that a check could not be graded.
 * SUMMARY_LINE_PATTERN reads it back: groups score, max, passed, failed, errors.
 */
export function summaryLine(score: number, maxScore: number, counts: { pass: number; fail: number; error: number }): string {
  return `Score: ${formatPoints(score)}/${formatPoints(maxScore)} (${counts.pass} passed, ${counts.fail} failed, ${counts.error} ${counts.error === 1 ? 'error' : 'errors'})`;
}

export const SUMMARY_LINE_PATTERN = /^Score: (?<score>[\d.]+)\/(?<max>[\d.]+) \((?<passed>\d+) passed, (?<failed>\d+) failed, (?<errors>\d+) errors?\)$/m;

// Colour only on a terminal; NO_COLOR (non-empty) turns it off and FORCE_COLOR on, FORCE_COLOR
// winning as in Node itself (FORCE_COLOR=0 or false forces it off). TERM=dumb means no colour.
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
