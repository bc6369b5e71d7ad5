// The class page's diagnosis panels: the causes most labs got (what most students got wrong),
// and each lab's causes in the order to fix them.
import { whereLabel } from '../report/diagnosis-text.ts';
import type { LabReport } from '../core/lab-report.ts';
import type { ClassReport } from './class-report.ts';
import { tallyCauses } from './class-stats.ts';
import { escapeLine } from './html-text.ts';
import { valueBar } from './svg-charts.ts';

export function commonCausesSection(report: ClassReport): string {
  const tallies = tallyCauses(report);
  if (tallies.length === 0) return '';
  const max = Math.max(...tallies.map((t) => t.labs));
  const rows = tallies.map((t) => {
    return `<tr><th scope="row"><code>${escapeLine(t.cause)}</code></th><td>${valueBar(t.labs / max, 'fail', 160, 10, `${t.labs} labs`)}</td><td class="num">${t.labs} of ${report.labs.length} labs</td></tr>`;
  });
  return `<section id="causes">
<h2>Most common causes</h2>
<table class="compact">
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

// One lab's causes in the order to fix them, for its section of the page; empty when it has none.
export function labCausesList(report: LabReport): string {
  const diagnoses = report.diagnoses ?? [];
  if (diagnoses.length === 0) return '';
  const items = diagnoses.map((d) => {
    const fix = d.fix.length > 0 ? `<pre>${d.fix.map(escapeLine).join('\n')}</pre>` : '';
    return `<li title="${escapeLine(d.summary)}"><code>${escapeLine(d.cause)}</code> ${escapeLine(whereLabel(d))}: ${escapeLine(d.summary)}${fix}</li>`;
  });
  return `<h3>What to fix, in order</h3><ol class="reasons">${items.join('')}</ol>`;
}
