import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderClassHtml } from './class-html.ts';
import { HOSTILE_NAME, CHECK_IDS, sampleClass } from './sample-class.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';

// The rows of the table inside `<section id="...">` of a document or a dumped DOM.
function tableRows(html: string, sectionId: string): string[] {
  const start = html.indexOf(`<section id="${sectionId}">`);
  if (start < 0) return [];
  const section = html.slice(start, html.indexOf('</section>', start));
  const body = section.slice(section.indexOf('<tbody>'), section.indexOf('</tbody>'));
  return body.split('<tr>').slice(1);
}

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

  it('is self-contained: no script, no external reference, a policy that forbids fetching', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=|https?:\/\/(?!evil\.example)/i);
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
    expect(rows.map((row) => /([\d.]+) Mbit\/s<\/td>/.exec(row)?.[1])).toEqual(['2451', '1981', '1210', '941', '870', '413', '87.3']);
    expect(rows.at(-1)).toContain('class="fail"');
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

// The page in a real browser: it must parse into the same tables and render to a real picture.
// Chromium is required (scripts/install-system-packages.sh installs it): missing, the test fails.
// UPDATE_SCREENSHOT=1 also copies the screenshot to docs/class-summary.png.
describe('renderClassHtml in headless Chromium', () => {
  let dir: string;
  let page: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'class-html-'));
    page = path.join(dir, 'class.html');
    await writeFile(page, renderClassHtml(sampleClass(), CHECK_IDS));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function chromium(args: string[]): string {
    const profile = path.join(dir, `profile-${args[0]?.replace(/\W/g, '')}`);
    const run = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...args,
        pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: 45_000, maxBuffer: 16 * 1024 * 1024 },
    );
    if (run.error) throw new Error(`${CHROMIUM} could not run (apt-get install chromium, or set CHROMIUM): ${run.error.message}`);
    if (run.status !== 0) throw new Error(`${CHROMIUM} exited with ${run.status}: ${run.stderr.slice(-2000)}`);
    return run.stdout;
  }

  it('parses into the expected tables, with the hostile name as text', () => {
    const dom = chromium(['--dump-dom']);
    expect(tableRows(dom, 'labs')).toHaveLength(12);
    expect(tableRows(dom, 'checks')).toHaveLength(7);
    expect(tableRows(dom, 'throughput')).toHaveLength(7);
    expect(tableRows(dom, 'not-graded')).toHaveLength(2);
    expect(dom).not.toContain('<script');
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co "quoted"');
    expect((dom.match(/<svg /g) ?? []).length).toBe(7 + 7 + 1 + 10);
  });

  it('renders a screenshot', async () => {
    const shot = path.join(dir, 'class-summary.png');
    chromium([`--screenshot=${shot}`, '--window-size=1280,2000']);
    const png = await readFile(shot);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 2000]);
    // A blank page of that size compresses to a few kilobytes; this one has text and charts.
    expect((await stat(shot)).size).toBeGreaterThan(60_000);
    if (process.env.UPDATE_SCREENSHOT === '1') await copyFile(shot, path.join(repoRoot, 'docs/class-summary.png'));
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
