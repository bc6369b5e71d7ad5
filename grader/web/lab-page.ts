import type { PossibleCopy } from '../class-report/copies.ts';
import type { Student } from '../class-report/class-report.ts';
import { escapeHtml, escapeLine } from '../class-report/html-text.ts';
import type { HostSummary } from '../core/lab-report.ts';
import type { Attempt } from '../store/course-store.ts';
import { attemptsTable, resultsTable, scoreTimeline, whatToFix } from './lab-result.ts';
import { labReviewList } from '../class-report/review-section.ts';
import { csrfField, labHref, pageShell, timeTag } from './page-shell.ts';

export interface LabPageData {
  lab: string;
  student?: Student;
  attempts: Attempt[];
  /** The attempt shown in full (with its report). */
  shown?: Attempt;
  deadline?: string;
  copies: PossibleCopy[];
  csrf: string;
}

function identityRows(hosts: readonly HostSummary[]): string {
  const rows = hosts.map((h) => {
    const id = h.identity ?? {};
    const list = (values: readonly string[] | undefined) => (values ?? []).map((v) => `<code>${escapeLine(v)}</code>`).join(' ');
    const nics = [h.managementInterface ? `management <code>${escapeLine(h.managementInterface)}</code>` : '', h.internalInterfaces?.length ? `internal ${list(h.internalInterfaces)}` : ''].filter(Boolean).join('; ');
    const reach = h.reachable ? 'reached' : `<span class="st error"><span aria-hidden="true">!</span> not reached</span> ${escapeLine(h.error ?? '')}`;
    return `<tr><th scope="row">${escapeLine(h.role)}</th><td><code>${escapeLine(h.target)}</code> ${reach}</td><td>${nics}</td><td>${id.hostKey ? `<code>${escapeLine(id.hostKey)}</code>` : ''}</td><td>${id.machineId ? `<code>${escapeLine(id.machineId)}</code>` : ''}</td><td>${list(id.macs)}</td><td>${id.domainUuid ? `<code>${escapeLine(id.domainUuid)}</code>` : ''} ${list(id.diskImages)}</td></tr>`;
  });
  return `<div class="scroll"><table class="identity"><caption>The VMs as graded</caption><thead><tr><th scope="col">VM</th><th scope="col">Address</th><th scope="col">NICs</th><th scope="col">Host key</th><th scope="col">machine-id</th><th scope="col">MACs</th><th scope="col">Domain, disks</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

// The instructor's page of one lab: its attempts over time, one attempt in full, who it is.
export function labPage(data: LabPageData, search: string): string {
  const live = `/board/lab/${encodeURIComponent(data.lab)}/live${search}`;
  return pageShell({ title: `${data.lab}: class board`, heading: `Lab ${data.lab}`, nav: '<a href="/board">← Board</a>', body: `<p class="sr" id="announce" aria-live="polite"></p><div id="live" data-live="${escapeHtml(live)}" data-events="/board/events" data-lab="${escapeHtml(data.lab)}">${labBody(data)}</div>` });
}

/** The part of the lab page that live updates replace. */
export function labBody(data: LabPageData): string {
  const base = `/board/lab/${encodeURIComponent(data.lab)}`;
  const who = data.student ? `${data.student.name ?? ''} (${data.student.id}${data.student.email ? `, ${data.student.email}` : ''})` : 'no roster line';
  const shown = data.shown?.report;
  const copies =
    data.copies.length === 0
      ? ''
      : `<section aria-labelledby="copies-title"><h2 id="copies-title">Possible copies</h2><ul>${data.copies.map((c) => `<li><a href="${labHref('/board/lab', c.lab)}">${escapeLine(c.lab)}</a>: ${c.shared.map(escapeLine).join('; ')}</li>`).join('')}</ul></section>`;
  const studentForms = data.student
    ? `<details class="actions"><summary>Tokens and extension of this student</summary>
<form method="post" action="/board/revoke">${csrfField(data.csrf)}<input type="hidden" name="student" value="${escapeHtml(data.student.id)}"><input type="hidden" name="back" value="${escapeHtml(base)}"><button type="submit">Revoke ${escapeLine(data.student.id)}'s tokens</button></form>
<form method="post" action="/board/extension">${csrfField(data.csrf)}<input type="hidden" name="student" value="${escapeHtml(data.student.id)}"><input type="hidden" name="back" value="${escapeHtml(base)}"><label>Extension <input name="extension" placeholder="2d, 36h or a time; empty clears" size="20"></label> <button type="submit">Set</button></form>
</details>`
    : '';
  const body = `<p>Student: ${escapeLine(who)}. ${data.deadline ? `Deadline ${timeTag(data.deadline)}.` : ''}</p>
${scoreTimeline(data.attempts)}
${data.attempts.length > 0 ? attemptsTable(data.attempts, { ...(data.deadline ? { deadline: data.deadline } : {}), link: (a) => `${base}?attempt=${a.id}`, ...(data.shown ? { selected: data.shown.id } : {}) }) : '<p>No attempt yet.</p>'}
${
  shown && data.shown
    ? `<section aria-labelledby="shown-title"><h2 id="shown-title">Attempt of ${timeTag(data.shown.startedAt)}</h2>
${whatToFix(shown)}
${resultsTable(shown)}
${identityRows(shown.hosts)}
${shown.review?.length ? `<h3>To review</h3><p>What the VMs showed that could stand between the grader and their kernel: a flag to look into, not a grade.</p>${labReviewList(shown)}` : ''}
<p><a href="${escapeHtml(`${base}/gradescope.json?attempt=${data.shown.id}`)}" download>Gradescope results.json of this attempt</a></p></section>`
    : ''
}
${copies}
${studentForms}`;
  return body;
}
