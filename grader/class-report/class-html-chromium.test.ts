// The class page in a real browser (integration tier: needs Chromium).
import { spawnSync } from 'node:child_process';
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../test/support/html-tables.ts';
import { tempDir } from '../../test/support/test-files.ts';
import { renderClassHtml } from './class-html.ts';
import { CHECK_IDS, sampleClass } from '../../test/support/sample-class.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';

// The page in a real browser: it must parse into the same tables and render to a real picture.
// Chromium is required (scripts/install-system-packages.sh installs it): missing, the test fails.
// UPDATE_SCREENSHOT=1 also copies the screenshot to docs/class-summary.png.
describe('renderClassHtml in headless Chromium', () => {
  const dir = tempDir('class-html-', { shared: true });
  let page: string;
  beforeAll(async () => {
    page = path.join(dir(), 'class.html');
    await writeFile(page, renderClassHtml(sampleClass(), CHECK_IDS));
  });

  function chromium(args: string[]): string {
    const profile = path.join(dir(), `profile-${args[0]?.replace(/\W/g, '')}`);
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
    expect(tableRows(dom, 'throughput')).toHaveLength(12);
    expect(tableRows(dom, 'not-graded')).toHaveLength(2);
    expect(dom).not.toContain('<script');
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co "quoted"');
    expect((dom.match(/<svg /g) ?? []).length).toBe(7 + 7 + 1 + 10);
  });

  it('renders a screenshot', async () => {
    const shot = path.join(dir(), 'class-summary.png');
    chromium([`--screenshot=${shot}`, '--window-size=1280,2000']);
    const png = await readFile(shot);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 2000]);
    // A blank page of that size compresses to a few kilobytes; this one has text and charts.
    expect((await stat(shot)).size).toBeGreaterThan(60_000);
    if (process.env.UPDATE_SCREENSHOT === '1') await copyFile(shot, path.join(repoRoot, 'docs/class-summary.png'));
  });
});
