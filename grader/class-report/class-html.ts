import { commonCausesSection, labCausesList } from './class-causes.ts';
import type { CheckResult } from '../core/result.ts';
import type { LabReport } from '../core/lab-report.ts';
import { namespaceBestScoreLine } from '../core/best-score.ts';
import { formatPoints } from '../report/result-label.ts';
import { adviceOf } from '../report/diagnosis-text.ts';
import { couldNotBeGraded, type ClassReport, type LastRun, type Student } from './class-report.ts';
import { labsWithoutThroughput, medianPercent, notGradedLabs, passRate, scoreHistogram, tallyChecks, throughputs } from './class-stats.ts';
import { formatLateness } from './deadlines.ts';
import { escapeHtml, escapeLine } from './html-text.ts';
import { CLASS_PAGE_CSS } from './class-html-style.ts';
import { copiesSection } from './copies.ts';
import { labReviewList, reviewSection } from './review-section.ts';
import { histogram, stackedBar, valueBar } from './svg-charts.ts';

// The class at a glance, as one HTML file a browser opens from disk: inline CSS and SVG, no
// script, nothing fetched (the Content-Security-Policy forbids it). Every string from a lab, a VM
// or the roster is escaped.
export function renderClassHtml(report: ClassReport, checkIds: string[]): string {
  const graded = report.labs.filter((lab) => !couldNotBeGraded(lab.report)).length;
  const notGraded = report.labs.length - graded;
  const body = [
    header(report),
    cards(report, graded, notGraded),
    checksSection(report, checkIds),
    `<div class="pair">${histogramSection(report, graded)}${throughputSection(report)}</div>`,
    notGradedSection(report),
    commonCausesSection(report),
    classGapsSection(report),
    copiesSection(report),
    reviewSection(report),
    labsSection(report),
    ...report.labs.map(labSection),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="router-lab-grader">
<title>Class results: ${report.labs.length} labs, ${escapeLine(when(report.startedAt))}</title>
<style>${CLASS_PAGE_CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function header(report: ClassReport): string {
  return `<header>
<h1>Router lab: class results</h1>
<p class="sub">Graded ${escapeLine(when(report.startedAt))} in ${escapeLine(duration(report.durationMs))} (from the first lab's start to the last one's end${
    report.lastRun ? `; ${escapeLine(lastRunText(report.lastRun))}` : ''
  }) by router-lab-grader</p>
</header>`;
}

// What the run that wrote these files did: a --resume that kept every lab graded nothing, so its
// duration says nothing.
function lastRunText(run: LastRun): string {
  const labs = (n: number) => `${n} ${n === 1 ? 'lab' : 'labs'}`;
  if (run.graded === 0 && run.kept !== undefined && run.kept > 0) return `resumed: all ${labs(run.kept)} kept from earlier runs`;
  if (run.graded !== undefined && run.kept) return `the last run graded ${labs(run.graded)} in ${duration(run.durationMs)} and kept ${run.kept} from earlier runs`;
  return `the last run took ${duration(run.durationMs)}`;
}

function cards(report: ClassReport, graded: number, notGraded: number): string {
  const median = medianPercent(report);
  const allPassed = report.labs.filter(({ report: lab }) => lab.results.length > 0 && lab.results.every((r) => r.status === 'pass')).length;
  const card = (value: string, label: string, kind = ''): string => `<div class="card ${kind}"><div class="value">${value}</div><div class="label">${label}</div></div>`;
  return `<div class="cards">
${card(String(report.labs.length), 'labs')}
${card(String(graded), 'graded')}
${card(String(notGraded), 'could not be graded', notGraded > 0 ? 'warn' : '')}
${card(String(allPassed), 'passed every check')}
${card(median === undefined ? '–' : `${Math.round(median)}%`, 'median score')}
</div>`;
}

function legend(): string {
  return `<span class="legend"><span class="key pass"></span>passed <span class="key fail"></span>failed <span class="key error"></span>could not be graded</span>`;
}

function checksSection(report: ClassReport, checkIds: string[]): string {
  const rows = tallyChecks(report, checkIds).map((tally) => {
    const rate = passRate(tally);
    const bar = stackedBar(
      [
        { value: tally.pass, kind: 'pass', title: `${tally.pass} passed` },
        { value: tally.fail, kind: 'fail', title: `${tally.fail} failed` },
        { value: tally.error, kind: 'error', title: `${tally.error} could not be graded` },
      ],
      420,
      16,
    );
    const counts = [`${tally.pass} passed`, `${tally.fail} failed`, ...(tally.error > 0 ? [`${tally.error} not graded`] : [])].join(' · ');
    return `<tr><th scope="row"><code>${escapeLine(tally.id)}</code></th><td>${bar}</td><td class="num rate">${rate === undefined ? '–' : `${Math.round(rate * 100)}%`}</td><td class="muted">${counts}</td></tr>`;
  });
  return `<section id="checks">
<h2>Pass rate per check ${legend()}</h2>
<p class="note">One result per check and host; the rate is passed over graded (passed + failed).</p>
<table>
<colgroup><col style="width: 130px"><col style="width: 440px"><col style="width: 90px"><col></colgroup>
<thead><tr><th>Check</th><th>Results</th><th class="num">Pass rate</th><th>Counts</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

function histogramSection(report: ClassReport, graded: number): string {
  return `<section id="scores">
<h2>Score distribution</h2>
<p class="note">${graded} graded ${graded === 1 ? 'lab' : 'labs'}; labs that could not be graded are left out.</p>
${histogram(scoreHistogram(report), 520, 230)}
</section>`;
}

function throughputSection(report: ClassReport): string {
  const list = throughputs(report);
  const max = Math.max(1, ...list.map((t) => t.mbps));
  const hostsPerLab = new Map<string, number>();
  for (const t of list) hostsPerLab.set(t.lab, (hostsPerLab.get(t.lab) ?? 0) + 1);
  const rows = list.map((t) => {
    const host = (hostsPerLab.get(t.lab) ?? 0) > 1 ? ` <span class="muted">${escapeLine(t.host)}</span>` : '';
    const figure = `${formatMbps(t.mbps)} Mbit/s`;
    const title = escapeLine(`${t.lab} ${t.student?.name ?? t.student?.id ?? ''}`);
    return `<tr><td><span class="clip" title="${title}">${labLabel(t.lab, t.student)}${host}</span></td><td>${valueBar(t.mbps / max, t.status, 170, 14, `${figure}, ${t.status}`)}</td><td class="num">${figure}</td></tr>`;
  });
  // Labs with no figure, after the figures: a bar would say nothing, the reason does.
  const none = list.length > 0 || report.labs.some((lab) => lab.report.results.length > 0) ? labsWithoutThroughput(report) : [];
  const noFigure = none.map(
    ({ lab, status, reason }) =>
      `<tr><td><span class="clip" title="${escapeLine(`${lab.lab} ${lab.student?.name ?? lab.student?.id ?? ''}`)}">${labLabel(lab.lab, lab.student)}</span></td><td colspan="2"><span class="pill ${status}">no figure</span> <span class="muted">${escapeLine(reason)}</span></td></tr>`,
  );
  const body =
    rows.length + noFigure.length > 0
      ? `${rows.length === 0 ? '<p class="muted">No lab measured a throughput.</p>\n' : ''}<table class="compact">\n<tbody>\n${[...rows, ...noFigure].join('\n')}\n</tbody>\n</table>`
      : '<p class="muted">No lab measured a throughput.</p>';
  return `<section id="throughput">
<h2>iperf throughput <span class="legend"><span class="key pass"></span>passed <span class="key fail"></span>failed</span></h2>
<p class="note">iperf3 from VM1 to VM3 as measured, highest first. A failed bar is a figure the check did not accept: below the floor, or traffic that did not go through the router (see the lab's section). Labs with no figure come last, with why.</p>
${body}
</section>`;
}

function notGradedSection(report: ClassReport): string {
  const labs = notGradedLabs(report);
  if (labs.length === 0) return '';
  const rows = labs.map(
    ({ lab, reasons }) =>
      `<tr><td class="who">${labLabel(lab.lab, lab.student)}</td><td><ul class="reasons">${reasons.map((r) => `<li>${escapeLine(r)}</li>`).join('')}</ul></td></tr>`,
  );
  return `<section id="not-graded">
<h2>Could not be graded (${labs.length})</h2>
<p class="note">Nothing could be observed on these labs: they have no grade, not a zero.</p>
<table>
<thead><tr><th>Lab</th><th>Why</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

// Late labs: marked in words ("late by 1 d 2 h"), never by colour alone.
function labsSection(report: ClassReport): string {
  const rows = report.labs.map((lab) => {
    const { report: labReport } = lab;
    const notGraded = couldNotBeGraded(labReport);
    const fraction = labReport.maxScore > 0 ? labReport.score / labReport.maxScore : 0;
    const late = lab.attempt && lab.attempt.lateByMs > 0 ? lab.attempt : undefined;
    const credited = late ? ` <span class="late">late by ${escapeLine(formatLateness(late.lateByMs))}: counts ${formatPoints(late.credited)}</span>` : '';
    const score = notGraded
      ? `<td class="num muted">– / ${formatPoints(labReport.maxScore)}</td><td></td>`
      : `<td class="num">${formatPoints(labReport.score)} / ${formatPoints(labReport.maxScore)}${credited}</td><td>${valueBar(fraction, 'score', 90, 10, `${Math.round(fraction * 100)}%`)}</td>`;
    return `<tr${late ? ' class="late-lab"' : ''}><td><a href="#${labAnchor(lab.lab)}"><code>${escapeLine(lab.lab)}</code></a></td><td class="who">${studentLabel(lab.student)}</td>${score}<td>${outcome(labReport)}</td><td>${problems(labReport)}</td></tr>`;
  });
  return `<section id="labs">
<h2>All labs</h2>
<table>
<thead><tr><th>Lab</th><th>Student</th><th class="num">Score</th><th></th><th>Result</th><th>Failed checks</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

// Labs of the class with no report yet, and where the roster and the inventory disagree.
function classGapsSection(report: ClassReport): string {
  const missing = report.missing ?? [];
  const unknown = report.roster?.unknownLabs ?? [];
  const without = report.roster?.withoutStudent ?? [];
  const other = report.otherChecks ?? [];
  const twoLabs = report.roster?.twoLabs ?? [];
  if (missing.length + unknown.length + without.length + other.length + twoLabs.length === 0) return '';
  const list = (items: string[]) => `<ul class="reasons">${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
  const parts = [
    missing.length > 0 ? `<h3>No report yet (${missing.length})</h3><p class="note">In the inventory, but not graded into this folder yet: grade them (or another shard will).</p>${list(missing.map((lab) => `<code>${escapeLine(lab)}</code>`))}` : '',
    other.length > 0 ? `<h3>Graded with other checks (${other.length})</h3><p class="note">Their reports in this folder were graded with another check file or --only selection: grade them again to include them.</p>${list(other.map((lab) => `<code>${escapeLine(lab)}</code>`))}` : '',
    unknown.length > 0 ? `<h3>Roster lines for labs not in the inventory (${unknown.length})</h3><p class="note">A typo in the roster or the inventory: these students have no report.</p>${list(unknown.map(({ lab, at }) => `<code>${escapeLine(lab)}</code>${at ? ` <span class="muted">${escapeLine(at)}</span>` : ''}`))}` : '',
    without.length > 0 ? `<h3>Labs without a roster line (${without.length})</h3><p class="note">Their gradebook rows have no student and come last.</p>${list(without.map((lab) => `<code>${escapeLine(lab)}</code>`))}` : '',
    twoLabs.length > 0 ? `<h3>Students with two labs in the roster (${twoLabs.length})</h3><p class="note">A typo in a student id? Each of these labs is credited to the same student.</p>${list(twoLabs.map(({ id, labs }) => `${escapeLine(id)}: ${labs.map((lab) => `<code>${escapeLine(lab)}</code>`).join(', ')}`))}` : '',
  ];
  return `<section id="class-gaps">
<h2>Not in these results</h2>
${parts.join('\n')}
</section>`;
}

const MAX_EVIDENCE_CHARS = 4_000;

function labAnchor(lab: string): string {
  return `lab-${escapeLine(lab.replace(/[^A-Za-z0-9._-]/g, '_'))}`;
}

// One lab: every result with its message, expected and actual, the commands and their output
// (folded), and the fix.
function labSection({ lab, student, report }: ClassReport['labs'][number]): string {
  const who = student ? `(${escapeLine(student.name ?? student.id)})` : '<span class="muted">(not on the roster)</span>';
  const hosts = report.hosts.filter((host) => host.error !== undefined).map((host) => `<li>${escapeLine(host.role)}: ${escapeLine(host.error ?? '')}</li>`);
  const results = report.results.map((result) => {
    const name = [result.id, result.host].filter((part) => part && part !== 'lab').join(' ');
    const advice = adviceOf(report, result);
    const lines = [
      `<p>${escapeLine(result.message)}</p>`,
      result.expected !== undefined ? `<p class="muted">Expected: ${escapeLine(result.expected)}</p>` : '',
      result.actual !== undefined ? `<p class="muted">Actual: ${escapeLine(result.actual)}</p>` : '',
      advice !== undefined ? `<p><strong>Fix:</strong> ${escapeLine(advice)}</p>` : '',
      result.evidence.length > 0
        ? `<details><summary>Evidence (${result.evidence.length} command${result.evidence.length === 1 ? '' : 's'})</summary>${result.evidence
            .map((e) => {
              const output = e.output.length > MAX_EVIDENCE_CHARS ? `${e.output.slice(0, MAX_EVIDENCE_CHARS)}\n... (${e.output.length - MAX_EVIDENCE_CHARS} more characters in ${lab}.json)` : e.output;
              return `<p><code>${escapeLine(`${e.host}$ ${e.command}`)}</code> <span class="muted">exit ${e.exitCode ?? '?'}</span></p><pre>${escapeHtml(output)}</pre>`;
            })
            .join('')}</details>`
        : '',
    ];
    return `<tr><td><code>${escapeLine(name)}</code></td><td><span class="pill ${result.status}">${result.status === 'error' ? 'not graded' : result.status === 'pass' ? 'passed' : 'failed'}</span></td><td class="num">${formatPoints(result.points)} / ${formatPoints(result.maxPoints)}</td><td>${lines.join('')}</td></tr>`;
  });
  return `<section id="${labAnchor(lab)}">
<h2>${escapeLine(lab)} ${who} — ${couldNotBeGraded(report) ? 'could not be graded' : `${formatPoints(report.score)} / ${formatPoints(report.maxScore)}`} <a class="muted" href="#labs">back to all labs</a></h2>
${namespaceBestScoreLine(report, formatPoints) ? `<p class="muted">${escapeLine(namespaceBestScoreLine(report, formatPoints)!)}</p>` : ''}
${hosts.length > 0 ? `<ul class="reasons">${hosts.join('')}</ul>` : ''}
${labCausesList(report)}
${labReviewList(report)}
<table>
<colgroup><col style="width: 150px"><col style="width: 100px"><col style="width: 80px"><col></colgroup>
<tbody>
${results.join('\n')}
</tbody>
</table>
</section>`;
}

function outcome(report: LabReport): string {
  if (couldNotBeGraded(report)) return '<span class="pill error">could not be graded</span>';
  const { fail, error } = report.summary;
  if (fail === 0 && error === 0) return '<span class="pill pass">all passed</span>';
  const parts = [...(fail > 0 ? [`${fail} failed`] : []), ...(error > 0 ? [`${error} not graded`] : [])];
  return `<span class="pill ${fail > 0 ? 'fail' : 'error'}">${parts.join(', ')}</span>`;
}

// The failed checks, then those that could not be graded, each id once with its hosts.
function problems(report: LabReport): string {
  if (couldNotBeGraded(report)) return '<span class="muted">see above</span>';
  const grouped = (status: CheckResult['status']): string[] => {
    const hosts = new Map<string, string[]>();
    for (const r of report.results.filter((result) => result.status === status)) {
      const list = hosts.get(r.id) ?? [];
      if (r.host !== '' && r.host !== 'lab') list.push(r.host);
      hosts.set(r.id, list);
    }
    return [...hosts].map(([id, list]) => `<span class="chip ${status}" title="${escapeLine(report.results.find((r) => r.id === id && r.status === status)?.message ?? '')}">${escapeLine(id)}${list.length > 0 ? ` <span class="hosts">${escapeLine(list.join(', '))}</span>` : ''}</span>`);
  };
  const chips = [...grouped('fail'), ...grouped('error')];
  return chips.length > 0 ? chips.join(' ') : '';
}

function studentLabel(student: Student | undefined): string {
  if (!student) return '<span class="muted">not in the roster</span>';
  const name = student.name ?? student.id;
  const id = student.name !== undefined ? ` <span class="muted">${escapeLine(student.id)}</span>` : '';
  return `${escapeLine(name)}${id}`;
}

function labLabel(lab: string, student: Student | undefined): string {
  return `<code>${escapeLine(lab)}</code>${student ? ` ${escapeLine(student.name ?? student.id)}` : ''}`;
}

function formatMbps(mbps: number): string {
  return mbps >= 100 ? String(Math.round(mbps)) : String(Math.round(mbps * 10) / 10);
}

// `2025-11-25 14:02 (UTC+01:00)` from an ISO 8601 time with zone, as recorded.
function when(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!m) return iso;
  const zone = m[3] === undefined ? '' : m[3] === 'Z' ? ' (UTC)' : ` (UTC${m[3]})`;
  return `${m[1]} ${m[2]}${zone}`;
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  if (minutes === 0) return `${seconds} s`;
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min ${seconds % 60} s`;
}
