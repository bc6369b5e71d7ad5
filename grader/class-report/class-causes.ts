// The class page's diagnosis panels: the causes most labs got (what most students got wrong),
// and each lab's causes in the order to fix them.
import { whereLabel } from '../report/diagnosis-text.ts';
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

export function labCausesSection(report: ClassReport): string {
  const labs = report.labs.filter((l) => (l.report.diagnoses ?? []).length > 0);
  if (labs.length === 0) return '';
  const rows = labs.map((l) => {
    const items = (l.report.diagnoses ?? []).map((d) => `<li title="${escapeLine(d.summary)}"><code>${escapeLine(d.cause)}</code> ${escapeLine(whereLabel(d))}</li>`);
    return `<tr><td><code>${escapeLine(l.lab)}</code></td><td><ol class="reasons">${items.join('')}</ol></td></tr>`;
  });
  return `<section id="lab-causes">
<h2>What each lab must fix</h2>
<table>
<thead><tr><th>Lab</th><th>Causes, in the order to fix them</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}
