import { describe, expect, it } from 'vitest';
import { renderClassHtml } from './class-html.ts';
import { CHECK_IDS, sampleClass } from '../../test/support/sample-class.ts';
import { tableRows } from '../../test/support/html-tables.ts';

describe('class.html, what to review and what the verdicts rest on (issue 25, item 1)', () => {
  it('lists the labs whose VMs showed hooks or mounts, with what was seen, escaped, and in the lab\'s own section', () => {
    const report = sampleClass();
    report.labs[0]!.report.review = [
      { host: 'router', sign: 'rc-hook', what: '/root/.bashrc runs before every command the grader sends', seen: ['1: [ -n "$BASH_EXECUTION_STRING" ] && exec /opt/<kit>'] },
    ];
    const html = renderClassHtml(report, CHECK_IDS);
    expect(html).toContain('<h2>To review (1 labs)</h2>');
    const rows = tableRows(html, 'to-review');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('router: /root/.bashrc runs before every command the grader sends');
    expect(rows[0]).toContain('exec /opt/&#60;kit&#62;');
    expect(html).not.toContain('<kit>');
    const own = html.slice(html.indexOf(`<section id="lab-${report.labs[0]!.lab}">`));
    expect(own.slice(0, own.indexOf('</section>'))).toContain('class="reasons to-review"');
  });

  it('says plainly how many labs rest on the VMs\' word only, and that the hypervisor is what defeats a determined student', () => {
    const html = renderClassHtml(sampleClass(), CHECK_IDS);
    const graded = sampleClass().labs.filter((l) => l.report.results.some((r) => r.status !== 'error')).length;
    expect(html).toContain(`${graded} of ${sampleClass().labs.length} labs were graded without their hypervisor`);
    expect(html).toContain('that is what defeats a determined student');
  });

  it('says nothing of the kind when every lab was graded through its hypervisor and none showed a sign', () => {
    const report = sampleClass();
    for (const lab of report.labs) lab.report.evidenceBasis = { hypervisor: true, inVmOnly: [], note: '' };
    expect(renderClassHtml(report, CHECK_IDS)).not.toContain('id="to-review"');
  });
});
