import type { Student } from '../class-report/class-report.ts';
import { formatLateness } from '../class-report/deadlines.ts';
import { escapeHtml, escapeLine } from '../class-report/html-text.ts';
import type { Attempt } from '../store/course-store.ts';
import { handoutOf } from '../plan/handout.ts';
import { handoutSectionsHtml } from '../plan/handout-render.ts';
import type { LabPlan } from '../plan/lab-plan.ts';
import { attemptsTable, resultsTable, whatToFix } from './lab-result.ts';
import { pageShell, timeTag } from './page-shell.ts';

export interface StudentPageData {
  lab: string;
  student: Student;
  /** Their lab's attempts, and nothing of any other lab. */
  attempts: Attempt[];
  /** Their latest attempt with its report. */
  latest?: Attempt;
  /** Their own deadline (the course's, or their extension). */
  deadline?: string;
  now: Date;
  coursePublicKey: string;
  baseUrl: string;
  /** Their own addressing plan, when the course gives plans (npm run grade -- plans). */
  plan?: LabPlan;
}

function timeLeft(deadline: string | undefined, now: Date): string {
  if (!deadline) return 'No deadline is set.';
  const left = Date.parse(deadline) - now.getTime();
  return left > 0 ? `Deadline ${timeTag(deadline)}: ${escapeHtml(formatLateness(left))} left.` : `Deadline ${timeTag(deadline)}: passed ${escapeHtml(formatLateness(-left))} ago; a new attempt is late.`;
}

// The lines a student types to let the course's grader log in to their three VMs.
function keyLines(data: StudentPageData): string {
  const targets = data.latest?.report?.hosts.map((h) => ({ role: h.role, target: h.target })) ?? [];
  const vms = targets.length > 0 ? targets : ['vm1', 'router', 'vm3'].map((role) => ({ role, target: `USER@${role.toUpperCase()}-ADDRESS` }));
  const lines = [`curl -fsS ${data.baseUrl.replace(/\/$/, '')}/course-key > course-key.pub`, ...vms.map((v) => `ssh-copy-id -f -i course-key.pub ${v.target.includes('@') ? v.target : `USER@${v.target}`}   # ${v.role}`)];
  return `<pre class="copy">${lines.map(escapeLine).join('\n')}</pre>`;
}

/** The part of the student's page that live updates replace. */
export function studentBody(data: StudentPageData): string {
  const report = data.latest?.report;
  return `<p>${escapeLine(data.student.name ?? data.student.id)}, lab ${escapeLine(data.lab)}. ${timeLeft(data.deadline, data.now)}</p>
${
  report && data.latest
    ? `<section aria-labelledby="latest-title"><h2 id="latest-title">Your latest attempt: ${timeTag(data.latest.startedAt)}, ${escapeHtml(String(report.score))}/${escapeHtml(String(report.maxScore))} points</h2>
${whatToFix(report)}
${resultsTable(report)}</section>`
    : '<p>No attempt yet: run <code>npm run grade -- submit</code> with your token.</p>'
}
${data.attempts.length > 0 ? `<section aria-labelledby="attempts-title"><h2 id="attempts-title">Your attempts</h2>${attemptsTable(data.attempts, data.deadline ? { deadline: data.deadline } : {})}</section>` : ''}`;
}

// A student's own page: their attempts, the latest result and what to fix, their deadline, the
// course's key. Drawn only from their own lab's attempts.
export function studentPage(data: StudentPageData): string {
  const body = `<p class="sr" id="announce" aria-live="polite"></p>
<div id="live" data-live="/student/live" data-events="/student/events">${studentBody(data)}</div>
<section aria-labelledby="key-title"><h2 id="key-title">The course's key</h2>
<p>The grader logs in to your three VMs with this key. Install it in each (as the user the grader logs in as):</p>
<pre class="copy">${escapeLine(data.coursePublicKey)}</pre>
${keyLines(data)}</section>${
    data.plan
      ? `\n<section aria-labelledby="plan-title" class="handout"><h2 id="plan-title">Your addressing plan</h2>\n${handoutSectionsHtml(handoutOf(data.plan, data.student.name ?? data.student.id), 3)}</section>`
      : ''
  }`;
  return pageShell({ title: `Your lab ${data.lab}`, heading: `Your lab: ${data.lab}`, nav: '<a href="/student" aria-current="page">Your page</a> <a href="/course-key">Course key</a>', body });
}
