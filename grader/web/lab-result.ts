import { labCausesList } from '../class-report/class-causes.ts';
import { formatLateness } from '../class-report/deadlines.ts';
import { escapeHtml, escapeLine } from '../class-report/html-text.ts';
import type { LabReport } from '../core/lab-report.ts';
import type { CheckResult } from '../core/result.ts';
import { formatPoints, resultLabel } from '../report/result-label.ts';
import { adviceOf } from '../report/diagnosis-text.ts';
import { flips, type Flip } from '../store/attempt-history.ts';
import type { Attempt } from '../store/course-store.ts';
import { statusBadge, timeTag } from './page-shell.ts';

// One lab's attempts and results as the instructor's lab page and the student's page show them.

function flipText(f: Flip): string {
  const from = f.from ? statusBadge(f.from, { compact: true }) : '<span class="muted">new</span>';
  const to = f.to ? statusBadge(f.to, { compact: true }) : '<span class="muted">gone</span>';
  return `<li>${escapeLine(f.result)} ${from} → ${to}</li>`;
}

/** The attempts, first to last, with score, lateness and what flipped since the one before. */
export function attemptsTable(attempts: readonly Attempt[], options: { deadline?: string; link?: (a: Attempt) => string; selected?: number }): string {
  const ordered = [...attempts].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id - b.id);
  let previous: readonly CheckResult[] | undefined;
  const rows = ordered.map((a, index) => {
    const results = a.report?.results ?? [];
    const changed = index === 0 ? [] : flips(previous, results);
    previous = a.report ? results : previous;
    const late = options.deadline ? Math.max(0, Date.parse(a.startedAt) - Date.parse(options.deadline)) : 0;
    const when = late > 0 ? `<span class="st late"><span aria-hidden="true">◷</span> late by ${escapeHtml(formatLateness(late))}</span>` : '<span class="muted">on time</span>';
    const status = a.status === 'interrupted' ? ' <span class="st error"><span aria-hidden="true">!</span> interrupted</span>' : '';
    const label = `attempt ${index + 1}`;
    const name = options.link ? `<a href="${escapeHtml(options.link(a))}"${options.selected === a.id ? ' aria-current="true"' : ''}>${label}</a>` : label;
    const flipped = index === 0 ? '<span class="muted">first attempt</span>' : changed.length === 0 ? '<span class="muted">nothing changed</span>' : `<ul class="flips">${changed.map(flipText).join('')}</ul>`;
    return `<tr><th scope="row">${name}</th><td>${timeTag(a.startedAt)}</td><td class="num">${formatPoints(a.score)}/${formatPoints(a.maxScore)}${status}</td><td>${when}</td><td>${escapeLine(a.command)}${a.sourceAddress ? ` from ${escapeLine(a.sourceAddress)}` : ''}</td><td>${flipped}</td></tr>`;
  });
  return `<div class="scroll"><table class="attempts">
<caption>Attempts, first to last</caption>
<thead><tr><th scope="col">Attempt</th><th scope="col">Started</th><th scope="col">Score</th><th scope="col">Deadline</th><th scope="col">How</th><th scope="col">What flipped since the one before</th></tr></thead>
<tbody>${rows.reverse().join('\n')}</tbody>
</table></div>`;
}

/** The score of each attempt over time, as an SVG line (its points' titles give the figures). */
export function scoreTimeline(attempts: readonly Attempt[]): string {
  const ordered = attempts.filter((a) => a.maxScore > 0).sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id - b.id);
  if (ordered.length === 0) return '';
  const width = 600;
  const height = 120;
  const x = (i: number) => (ordered.length === 1 ? width / 2 : 10 + (i * (width - 20)) / (ordered.length - 1));
  const y = (a: Attempt) => 10 + (1 - a.score / a.maxScore) * (height - 20);
  const points = ordered.map((a, i) => `${x(i).toFixed(1)},${y(a).toFixed(1)}`).join(' ');
  const dots = ordered.map((a, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(a).toFixed(1)}" r="4" class="dot"><title>attempt ${i + 1}: ${formatPoints(a.score)}/${formatPoints(a.maxScore)} at ${escapeHtml(a.startedAt)}</title></circle>`).join('');
  const summary = ordered.map((a, i) => `attempt ${i + 1}: ${formatPoints(a.score)}/${formatPoints(a.maxScore)}`).join(', ');
  return `<figure class="timeline"><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Score over time: ${escapeHtml(summary)}"><line x1="10" y1="10" x2="${width - 10}" y2="10" class="axis"/><line x1="10" y1="${height - 10}" x2="${width - 10}" y2="${height - 10}" class="axis"/><polyline points="${points}" class="line"/>${dots}</svg><figcaption>Score over time (top line: full marks). ${escapeHtml(summary)}</figcaption></figure>`;
}

function evidenceBlock(result: CheckResult): string {
  if (result.evidence.length === 0) return '';
  const items = result.evidence.map((e) => `<p><code>${escapeLine(e.host)}$ ${escapeLine(e.command)}</code> <span class="muted">(exit ${e.exitCode ?? 'none'})</span></p><pre>${escapeHtml(e.output)}</pre>`);
  return `<details><summary>Evidence (${result.evidence.length})</summary>${items.join('')}</details>`;
}

/** Every result of a report: status, check, points, why, expected and actual, the evidence. */
export function resultsTable(report: LabReport): string {
  const rows = report.results.map((r) => {
    const detail = [r.expected !== undefined ? `<div>expected: <code>${escapeLine(r.expected)}</code></div>` : '', r.actual !== undefined ? `<div>actual: <code>${escapeLine(r.actual)}</code></div>` : ''].join('');
    return `<tr class="${r.status}"><td>${statusBadge(r.status)}</td><th scope="row">${escapeLine(r.title)} <span class="muted">(${escapeLine(resultLabel(r))})</span></th><td class="num">${formatPoints(r.points)}/${formatPoints(r.maxPoints)}</td><td>${escapeLine(r.message)}${detail}${evidenceBlock(r)}</td></tr>`;
  });
  return `<div class="scroll"><table class="results">
<caption>Results: ${formatPoints(report.score)}/${formatPoints(report.maxScore)} points, ${report.summary.pass} passed, ${report.summary.fail} failed, ${report.summary.error} not graded</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Check</th><th scope="col">Points</th><th scope="col">Why</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table></div>`;
}

/** "What to fix": the diagnoses in the order to fix them (the class page's list), else each unpassed result's hint. */
export function whatToFix(report: LabReport): string {
  const causes = labCausesList(report);
  if (causes) return `<section class="fix" aria-label="What to fix">${causes}</section>`;
  const hints = report.results.flatMap((r) => {
    const advice = adviceOf(report, r);
    return advice === undefined ? [] : [{ r, advice }];
  });
  if (hints.length === 0) {
    const none = report.results.every((r) => r.status === 'pass') ? 'Nothing: every check passed.' : 'Nothing to type yet: the checks above could not be graded, and say why.';
    return `<section class="fix" aria-label="What to fix"><h3>What to fix</h3><p>${none}</p></section>`;
  }
  const items = hints.map(({ r, advice }) => `<li><strong>${escapeLine(resultLabel(r))}</strong>: ${escapeLine(advice)}</li>`);
  return `<section class="fix" aria-label="What to fix"><h3>What to fix</h3><ol class="reasons">${items.join('')}</ol></section>`;
}
