import { describe, expect, it } from 'vitest';
import { renderClassHtml } from './class-html.ts';
import { HOSTILE_NAME, CHECK_IDS, sampleClass } from '../../test/support/sample-class.ts';
import { tableRows } from '../../test/support/html-tables.ts';


describe('renderClassHtml', () => {
  const html = renderClassHtml(sampleClass(), CHECK_IDS);

  it('escapes every untrusted string: names, messages, host errors', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain(HOSTILE_NAME);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; Co &#34;quoted&#34;');
    // A host error with <publickey> and a message with <via> & ...
    expect(html).toContain('student@192.168.122.61 &#60;publickey&#62;');
    expect(html).toContain('=HYPERLINK(&#34;http://evil.example&#34;)');
    const bare = html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]*>/g, '');
    expect(bare).not.toMatch(/<|>|&(?!#\d+;|amp;|lt;|gt;|quot;)/);
  });

  it("gives a result its check's hint only when no diagnosis explains it, and a result that could not be graded none", () => {
    const report = sampleClass();
    const lab04 = report.labs.find((l) => l.lab === 'lab04')!;
    lab04.report.diagnoses = [{ cause: 'no-return-route', host: 'vm3', summary: 'VM3 has no route back.', fix: ['sudo ip route add 10.0.1.0/24 via 10.0.2.1'], evidence: [], results: ['routes vm3'] }];
    const rows = tableRows(renderClassHtml(report, CHECK_IDS), 'lab-lab04');
    expect(rows.find((row) => row.includes('<code>routes vm3</code>')) ?? '').not.toContain('Fix:');
    const lab12 = tableRows(renderClassHtml(report, CHECK_IDS), 'lab-lab12');
    expect(lab12.filter((row) => row.includes('pill error'))).not.toHaveLength(0);
    for (const row of lab12.filter((r) => r.includes('pill error'))) expect(row).not.toContain('Fix:');
  });

  it('is self-contained: no script, no external reference, a policy that forbids fetching', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=(?!"#)|https?:\/\/(?!evil\.example)/i);
  });

  it('gives every lab a section of its own, linked from its row, with each result, its evidence and its fix', () => {
    const rows = tableRows(html, 'labs');
    expect(rows[0]).toContain('<a href="#lab-lab01"><code>lab01</code></a>');
    for (const lab of sampleClass().labs) expect(html).toContain(`<section id="lab-${lab.lab}">`);
    const lab04 = tableRows(html, 'lab-lab04');
    expect(lab04).toHaveLength(10);
    const route = lab04.find((row) => row.includes('<code>routes vm3</code>')) ?? '';
    expect(route).toContain('<span class="pill fail">failed</span>');
    expect(route).toMatch(/<strong>Fix:<\/strong> /);
    expect(route).toMatch(/<details><summary>Evidence \(\d+ commands?\)<\/summary>.*<pre>/s);
    // lab12's router was down: the section says why, and which results could not be graded.
    const start = html.indexOf('<section id="lab-lab12"');
    expect(html.slice(start, html.indexOf('</section>', start))).toMatch(/router: ssh: connect timed out after 10 s.*<code>ip-forward router<\/code><\/td><td><span class="pill error">not graded<\/span>/s);
  });

  it('says when the class was graded over every run, and what the last run took', () => {
    const page = renderClassHtml({ ...sampleClass(), durationMs: 3_600_000, lastRun: { startedAt: '2025-11-25T15:00:00+01:00', durationMs: 20_000 } }, CHECK_IDS);
    expect(page).toContain("Graded 2025-11-25 14:02 (UTC+01:00) in 1 h 0 min (from the first lab's start to the last one's end; the last run took 20 s)");
  });

  it('lists the labs with no report yet and where the roster and the inventory disagree', () => {
    const page = renderClassHtml({ ...sampleClass(), missing: ['lab13'], roster: { unknownLabs: [{ lab: 'nc6', at: 'roster.csv:7' }], withoutStudent: ['lab11'] } }, CHECK_IDS);
    const start = page.indexOf('<section id="class-gaps">');
    const gaps = page.slice(start, page.indexOf('</section>', start));
    expect(gaps).toMatch(/No report yet \(1\).*<code>lab13<\/code>/s);
    expect(gaps).toMatch(/Roster lines for labs not in the inventory \(1\).*<code>nc6<\/code> <span class="muted">roster\.csv:7<\/span>/s);
    expect(gaps).toMatch(/Labs without a roster line \(1\).*<code>lab11<\/code>/s);
    expect(html).not.toContain('class-gaps');
  });

  it('does not claim that the measured traffic went through the router', () => {
    const start = html.indexOf('<section id="throughput">');
    expect(html.slice(start, html.indexOf('</section>', start))).not.toMatch(/VM1 to VM3 through the router/);
  });

  it('has the title, the time graded and the counts', () => {
    expect(html).toContain('<h1>Router lab: class results</h1>');
    expect(html).toContain('Graded 2025-11-25 14:02 (UTC+01:00) in 3 min 4 s');
    expect(html).toMatch(/<div class="value">12<\/div><div class="label">labs<\/div>/);
    expect(html).toMatch(/<div class="value">10<\/div><div class="label">graded<\/div>/);
    expect(html).toMatch(/<div class="value">2<\/div><div class="label">could not be graded<\/div>/);
  });

  it('has a row per check with its pass rate over graded results', () => {
    const rows = tableRows(html, 'checks');
    expect(rows).toHaveLength(7);
    // virtio: 3 hosts x 12 labs: 23 passed, 6 failed, 7 errors.
    expect(rows[1]).toContain('<code>virtio</code>');
    expect(rows[1]).toContain('>79%<');
    expect(rows[1]).toContain('23 passed · 6 failed · 7 not graded');
  });

  it('lists the iperf throughputs highest first', () => {
    const rows = tableRows(html, 'throughput');
    expect(rows.slice(0, 7).map((row) => /([\d.]+) Mbit\/s<\/td>/.exec(row)?.[1])).toEqual(['2451', '1981', '1210', '941', '870', '413', '87.3']);
    expect(rows.slice(0, 7).at(-1)).toContain('class="fail"');
  });

  it('shows the labs with no throughput figure in the iperf panel, with the reason (issue 27, rough edge 4)', () => {
    const rows = tableRows(html, 'throughput');
    expect(rows).toHaveLength(12);
    const lab11 = rows.find((row) => row.includes('<code>lab11</code>')) ?? '';
    expect(lab11).toContain('no figure');
    expect(lab11).toContain('iperf3 is not installed on vm3');
    expect(rows.find((row) => row.includes('<code>lab05</code>'))).toMatch(/no figure.*vm1 could not be reached: ssh: connect ECONNREFUSED/s);
  });

  it('heads a lab without a roster line plainly, "lab11 (not on the roster) — 13 / 15" (issue 27, rough edge 4)', () => {
    const heading = (lab: string) => {
      const start = html.indexOf(`<section id="lab-${lab}">`);
      const h2 = html.slice(html.indexOf('<h2>', start), html.indexOf('</h2>', start) + 5);
      return h2.replace(/<a [^>]*>.*?<\/a>/, '').replace(/<[^>]*>/g, '').trim();
    };
    expect(heading('lab11')).toBe('lab11 (not on the roster) — 13 / 15');
    expect(heading('lab01')).toBe('lab01 (Lovelace, Ada) — 12 / 15');
    expect(heading('lab05')).toBe('lab05 (Grace Hopper) — could not be graded');
  });

  it('after a --resume that kept every lab, says so rather than "the last run took 0 s" (issue 27, rough edge 4)', () => {
    const kept = renderClassHtml({ ...sampleClass(), lastRun: { startedAt: '2025-11-25T15:00:00+01:00', durationMs: 40, graded: 0, kept: 12 } }, CHECK_IDS);
    expect(kept).not.toContain('the last run took');
    expect(kept).toContain('resumed: all 12 labs kept from earlier runs');
    const partly = renderClassHtml({ ...sampleClass(), lastRun: { startedAt: '2025-11-25T15:00:00+01:00', durationMs: 20_000, graded: 3, kept: 9 } }, CHECK_IDS);
    expect(partly).toContain('the last run graded 3 labs in 20 s and kept 9 from earlier runs');
  });

  it('lists the labs that could not be graded with their hosts\' errors', () => {
    const rows = tableRows(html, 'not-graded');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('<li>vm1: ssh: connect ECONNREFUSED 192.168.122.51:22</li>');
  });

  it('has one row per lab with its score and failed checks', () => {
    const rows = tableRows(html, 'labs');
    expect(rows).toHaveLength(12);
    expect(rows[0]).toContain('12 / 15');
    expect(rows[0]).toContain('virtio <span class="hosts">vm1, router, vm3</span>');
    expect(rows[4]).toContain('could not be graded');
    expect(rows[10]).toContain('not in the roster');
  });

  it('says so when nothing was graded', () => {
    const empty = renderClassHtml({ startedAt: '2025-11-25T10:00:00Z', durationMs: 0, labs: [] }, CHECK_IDS);
    expect(empty).toContain('Graded 2025-11-25 10:00 (UTC) in 0 s');
    expect(empty).toContain('No lab measured a throughput.');
    expect(tableRows(empty, 'labs')).toHaveLength(0);
  });
});

describe('renderClassHtml with bidirectional controls in roster and VM text', () => {
  it('strips them from names, lab names and messages', () => {
    const report = sampleClass();
    const lab = report.labs.find((l) => l.lab === 'lab03')!;
    lab.student = { id: 's\u202e-3', name: 'Eve \u202eevE\u2067', email: 'e\u200f@example.edu' };
    lab.report.results[0]!.message = 'enp7s0\u202e0s7pne \u2066isolated\u2069';
    const html = renderClassHtml(report, CHECK_IDS);
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    expect(html).toContain('Eve evE');
  });
});
