// The class page's account of trust (issue 25, item 1): the labs whose VMs showed hooks or mounts
// that could stand between the grader and their kernel, for the instructor to look into (not a
// grade: scores are unchanged), and which labs' verdicts rest on what the VMs report only.
import type { LabReport } from '../core/lab-report.ts';
import type { ClassReport } from './class-report.ts';
import { couldNotBeGraded } from './class-report.ts';
import { escapeLine } from './html-text.ts';

// Graded labs none of whose results the hypervisor's counters confirmed (or that say nothing of it).
function inVmOnly(report: LabReport): boolean {
  return !couldNotBeGraded(report) && !(report.evidenceBasis?.hypervisor ?? report.results.some((r) => r.evidenceScope === 'hypervisor'));
}

export function reviewSection(report: ClassReport): string {
  const flagged = report.labs.filter((lab) => (lab.report.review ?? []).length > 0);
  const vmOnly = report.labs.filter((lab) => inVmOnly(lab.report)).length;
  if (flagged.length === 0 && vmOnly === 0) return '';
  const basis = vmOnly > 0
    ? `<p class="note">${vmOnly} of ${report.labs.length} labs were graded without their hypervisor: every verdict of theirs rests on what the VMs themselves report, which a student with root on them can change. Grading through the lab server's hypervisor (<code>hypervisor:</code> in the inventory) adds counters of the router's NICs that nothing inside a VM can change: that is what defeats a determined student.</p>`
    : '';
  const rows = flagged.map(
    (lab) => `<tr><td class="who">${escapeLine(lab.lab)}</td><td>${labReviewList(lab.report)}</td></tr>`,
  );
  const table = flagged.length === 0
    ? ''
    : `<p class="note">These labs' VMs showed something that runs before, or in place of, the grader's commands, or that changes what it reads (a login-shell hook, an sshd hook, a preloaded library, a mount over /proc or /sys, another /bin/sh). Honest setups have some of these: a flag to look into, not a grade; scores are unchanged.</p>
<table>
<thead><tr><th>Lab</th><th>What its VMs showed</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
  return `<section id="to-review">
<h2>To review (${flagged.length} labs)</h2>
${basis}
${table}
</section>`;
}

// One lab's flags, as a list (in its own section and in the class table); empty when none.
export function labReviewList(report: LabReport): string {
  const flags = report.review ?? [];
  if (flags.length === 0) return '';
  const items = flags.map((f) => `<li>${escapeLine(f.host)}: ${escapeLine(f.what)}${f.seen && f.seen.length > 0 ? `<br><code>${f.seen.map(escapeLine).join('</code><br><code>')}</code>` : ''}</li>`);
  return `<ul class="reasons to-review">${items.join('')}</ul>`;
}
