import { couldNotBeGraded, type ClassLab } from '../class-report/class-report.ts';
import { formatLateness, formatLatePolicy } from '../class-report/deadlines.ts';
import { escapeHtml, escapeLine } from '../class-report/html-text.ts';
import type { Status } from '../core/result.ts';
import { formatPoints } from '../report/result-label.ts';
import type { BoardModel } from './board-model.ts';
import { csrfField, labHref, pageShell, statusBadge, timeTag } from './page-shell.ts';

/** What the board's address asks for: the moment, the page of rows, a filter. */
export interface BoardQuery {
  /** `deadline`, a time (as typed), or undefined: now, live. */
  at?: string;
  page: number;
  pageSize: number;
  /** Labs whose name or student contains this. */
  filter?: string;
}

export const PAGE_SIZE = 50;

export function boardSearch(query: BoardQuery, change: Partial<BoardQuery> = {}): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  if (q.at) params.set('at', q.at);
  if (q.filter) params.set('filter', q.filter);
  if (q.page > 1) params.set('page', String(q.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const studentText = (lab: ClassLab | { student?: { id: string; name?: string } }) => (lab.student ? `${lab.student.name ?? ''} (${lab.student.id})`.trim() : '');

// A check on several hosts: fail if one failed, else not graded if one was, else pass.
function checkStatus(lab: ClassLab, id: string): { status?: Status; title: string } {
  const results = lab.report.results.filter((r) => r.id === id);
  if (results.length === 0) return { title: 'not run' };
  const status: Status = results.some((r) => r.status === 'fail') ? 'fail' : results.some((r) => r.status === 'error') ? 'error' : 'pass';
  return { status, title: results.map((r) => `${r.host}: ${r.status}`).join(', ') };
}

export function filteredLabs(model: BoardModel, filter: string | undefined): ClassLab[] {
  if (!filter) return model.report.labs;
  const needle = filter.toLowerCase();
  return model.report.labs.filter((l) => `${l.lab} ${studentText(l)}`.toLowerCase().includes(needle));
}

function gridRow(model: BoardModel, lab: ClassLab): string {
  const cells = model.checkIds.map((id) => {
    const { status, title } = checkStatus(lab, id);
    return `<td>${status ? statusBadge(status, { compact: true, title: `${id}: ${title}` }) : '<span class="muted">–</span>'}</td>`;
  });
  const attempts = model.attemptsByLab.get(lab.lab)?.length ?? 0;
  const late = (lab.attempt?.lateByMs ?? 0) > 0 ? ` <span class="st late"><span aria-hidden="true">◷</span> late</span>` : '';
  const score = couldNotBeGraded(lab.report) ? statusBadge('error') : `${formatPoints(lab.report.score)}/${formatPoints(lab.report.maxScore)}`;
  const copy = model.copies.has(lab.lab) ? ` <span class="st copy" title="possible copy"><span aria-hidden="true">≈</span> copy?</span>` : '';
  return `<tr id="row-${escapeHtml(lab.lab)}" data-lab="${escapeHtml(lab.lab)}"><th scope="row"><a href="${labHref('/board/lab', lab.lab)}">${escapeLine(lab.lab)}</a>${copy}</th><td class="who">${escapeLine(studentText(lab))}</td><td class="num">${score}${late}</td>${cells.join('')}<td class="num">${attempts}</td><td class="when">${timeTag(lab.attempt?.at)}</td></tr>`;
}

function grid(model: BoardModel, labs: ClassLab[], query: BoardQuery): string {
  const pages = Math.max(1, Math.ceil(labs.length / query.pageSize));
  const page = Math.min(query.page, pages);
  const shown = labs.slice((page - 1) * query.pageSize, page * query.pageSize);
  const heads = model.checkIds.map((id) => `<th scope="col">${escapeLine(id)}</th>`).join('');
  const rates = model.checks
    .filter((c) => model.checkIds.includes(c.id))
    .map((c) => `<td class="num" title="${c.pass} passed, ${c.fail} failed, ${c.error} not graded">${c.rate === undefined ? '–' : `${Math.round(c.rate * 100)}%`}</td>`)
    .join('');
  const pager =
    pages <= 1
      ? ''
      : `<nav class="pager" aria-label="Pages of labs">${page > 1 ? `<a href="/board${escapeHtml(boardSearch(query, { page: page - 1 }))}" rel="prev">← previous</a>` : ''} <span>page ${page} of ${pages} (${labs.length} labs)</span> ${page < pages ? `<a href="/board${escapeHtml(boardSearch(query, { page: page + 1 }))}" rel="next">next →</a>` : ''}</nav>`;
  return `<section aria-labelledby="grid-title"><h2 id="grid-title">Labs × checks</h2>
<p class="legend">${statusBadge('pass')} ${statusBadge('fail')} ${statusBadge('error')} <span class="st late"><span aria-hidden="true">◷</span> late</span> <span class="st copy"><span aria-hidden="true">≈</span> possible copy</span></p>
${pager}
<div class="scroll"><table id="grid" class="grid">
<caption>Each lab's ${model.at ? 'attempt that counted then' : 'latest attempt'}${labs.length > shown.length ? ` (labs ${(page - 1) * query.pageSize + 1} to ${(page - 1) * query.pageSize + shown.length} of ${labs.length})` : ''}</caption>
<thead><tr><th scope="col">Lab</th><th scope="col">Student</th><th scope="col">Score</th>${heads}<th scope="col">Attempts</th><th scope="col">Graded</th></tr></thead>
<tbody>${shown.map((lab) => gridRow(model, lab)).join('\n')}</tbody>
<tfoot><tr><th scope="row">Pass rate</th><td></td><td></td>${rates}<td></td><td></td></tr></tfoot>
</table></div>
${pager}</section>`;
}

function labLinks(labs: readonly string[], limit = 12): string {
  const shown = labs.slice(0, limit).map((lab) => `<a href="${labHref('/board/lab', lab)}">${escapeLine(lab)}</a>`);
  return shown.join(', ') + (labs.length > limit ? ` and ${labs.length - limit} more` : '');
}

function panels(model: BoardModel): string {
  const total = model.report.labs.length;
  const causes =
    model.causes.length === 0
      ? '<p>No diagnosed cause.</p>'
      : `<table><thead><tr><th scope="col">Cause</th><th scope="col">Labs</th><th scope="col">Which</th></tr></thead><tbody>${model.causes
          .slice(0, 10)
          .map((c) => `<tr><th scope="row"><code>${escapeLine(c.cause)}</code></th><td class="num">${c.labs.length} of ${total}</td><td>${labLinks(c.labs)}</td></tr>`)
          .join('')}</tbody></table>`;
  const stuck =
    model.stuck.length === 0
      ? '<p>No lab is stuck.</p>'
      : `<ul>${model.stuck.map((s) => `<li><a href="${labHref('/board/lab', s.lab)}">${escapeLine(s.lab)}</a>: <code>${escapeLine(s.cause)}</code> in its last ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}, for ${s.minutes} min (since ${timeTag(s.since)})</li>`).join('')}</ul>`;
  const late =
    model.late.length === 0
      ? '<p>No late lab.</p>'
      : `<ul>${model.late.map((l) => `<li><a href="${labHref('/board/lab', l.lab)}">${escapeLine(l.lab)}</a> ${escapeLine(studentText(l))}: late by ${escapeHtml(formatLateness(l.attempt?.lateByMs ?? 0))}</li>`).join('')}</ul>`;
  const missing =
    model.notSubmitted.length === 0
      ? '<p>Every lab of the roster has an attempt.</p>'
      : `<ul>${model.notSubmitted.map((m) => `<li>${escapeLine(m.lab)} ${escapeLine(studentText(m))}</li>`).join('')}</ul>`;
  const copies =
    model.copies.size === 0
      ? '<p>No two labs share a VM.</p>'
      : `<ul>${[...model.copies].map(([lab, with_]) => `<li><a href="${labHref('/board/lab', lab)}">${escapeLine(lab)}</a> shares with ${with_.map((c) => `${escapeLine(c.lab)} (${c.shared.map(escapeLine).join('; ')})`).join(', ')}</li>`).join('')}</ul>`;
  return `<div class="panels">
<section aria-labelledby="causes-title"><h2 id="causes-title">Most common causes ${model.at ? 'then' : 'now'}</h2>${causes}</section>
<section aria-labelledby="stuck-title"><h2 id="stuck-title">Stuck</h2>${stuck}</section>
<section aria-labelledby="late-title"><h2 id="late-title">Late (${model.late.length})</h2>${late}</section>
<section aria-labelledby="missing-title"><h2 id="missing-title">Not yet submitted (${model.notSubmitted.length})</h2>${missing}</section>
<section aria-labelledby="copies-title"><h2 id="copies-title">Possible copies (${model.copies.size})</h2>${copies}</section>
</div>`;
}

/** The part of the board that live updates replace: the summary line, the grid and the panels. */
export function boardLive(model: BoardModel, query: BoardQuery): string {
  const labs = filteredLabs(model, query.filter);
  const graded = model.report.labs.filter((l) => !couldNotBeGraded(l.report)).length;
  const summary = `<p class="summary">${model.report.labs.length} labs with an attempt (${graded} graded), ${model.notSubmitted.length} not yet submitted, ${model.late.length} late, ${model.stuck.length} stuck.</p>`;
  return `${summary}\n${grid(model, labs, query)}\n${panels(model)}`;
}

/** The whole board page. */
export function boardPage(model: BoardModel, query: BoardQuery, csrf: string, notice?: string): string {
  const moment = model.at ? `As at ${timeTag(model.at)} (not live)` : '<span class="live-dot" aria-hidden="true">●</span> Live: updates as attempts are recorded.';
  const deadline = model.deadline ? `Deadline ${timeTag(model.deadline)}, late policy ${escapeHtml(formatLatePolicy(model.latePolicy))}.` : 'No deadline set.';
  const controls = `<form class="controls" method="get" action="/board" role="search">
<label>Show the class <select name="at"><option value=""${model.at ? '' : ' selected'}>now (live)</option>${model.deadline ? `<option value="deadline"${query.at === 'deadline' ? ' selected' : ''}>at the deadline</option>` : ''}${query.at && query.at !== 'deadline' ? `<option value="${escapeHtml(query.at)}" selected>at ${escapeLine(query.at)}</option>` : ''}</select></label>
<label>or at <input name="at" type="text" placeholder="2026-12-07T16:00Z" inputmode="text" size="20"></label>
<label>Lab or student <input name="filter" type="search" value="${escapeHtml(query.filter ?? '')}" size="14"></label>
<button type="submit">Show</button>
</form>`;
  const downloads = `<p class="downloads">Downloads${model.at ? ' (as shown)' : ''}: <a href="/board/gradebook.csv${escapeHtml(boardSearch(query, { page: 1, filter: undefined }))}" download>gradebook CSV</a> · <a href="/board/class.xml${escapeHtml(boardSearch(query, { page: 1, filter: undefined }))}" download>class JUnit</a> · Gradescope results.json on each lab's page</p>`;
  const actions = `<details class="actions"><summary>Tokens and extensions</summary>
<form method="post" action="/board/revoke">${csrfField(csrf)}<label>Student id <input name="student" required size="12"></label> <button type="submit">Revoke their tokens</button></form>
<form method="post" action="/board/extension">${csrfField(csrf)}<label>Student id <input name="student" required size="12"></label> <label>Extension <input name="extension" placeholder="2d, 36h or a time; empty clears" size="20"></label> <button type="submit">Set extension</button></form>
</details>`;
  const live = model.at ? '' : ` data-live="/board/live${escapeHtml(boardSearch(query))}" data-events="/board/events"`;
  return pageShell({
    title: 'Class board',
    heading: 'Class board',
    nav: '<a href="/board" aria-current="page">Board</a> <a href="/course-key">Course key</a>',
    body: `${notice ? `<p class="notice" role="status">Done: ${escapeLine(notice)}.</p>` : ''}<p class="moment" id="moment">${moment} ${deadline}</p>
<p class="sr" id="announce" aria-live="polite"></p>
${controls}
${downloads}
<div id="live"${live}>
${boardLive(model, query)}
</div>
${actions}`,
  });
}
