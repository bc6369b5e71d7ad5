// `npm run bench:board`: the class board with 300 labs in Debian's Chromium. Time to first render
// (navigation to first contentful paint, and the server's response) and time from recording an
// attempt to its row updated on screen. Writes its section of docs/BENCHMARKS.md (between the
// board markers; bench/run.ts keeps it when it rewrites the file).
//
//   npm run bench:board -- [--labs 300] [--loads 10] [--updates 30]
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { courseReports, openCourse } from '../test/support/board-course.ts';
import { browserContext } from '../test/support/chromium-page.ts';
import { BOARD_BEGIN, replaceBoardSection } from './board-section.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({ options: { labs: { type: 'string', default: '300' }, loads: { type: 'string', default: '10' }, updates: { type: 'string', default: '30' } } });
const labs = Number(values.labs);
const REPO = join(import.meta.dirname, '..');
const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build-web.mjs')], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(build.stderr);

const dir = await mkdtemp(join(tmpdir(), 'bench-board-'));
const course = await openCourse(dir, { labs });
const browser = await browserContext(1400);
try {
  const page = await browser.context.newPage();
  await page.goto(`${course.url}/login?secret=${course.secret}`);
  const paints: number[] = [];
  const responses: number[] = [];
  for (let i = 0; i < Number(values.loads); i++) {
    await page.goto(`${course.url}/board`);
    await page.waitForSelector('#row-lab001');
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return { response: nav.responseEnd - nav.startTime, paint: paint ? paint.startTime : nav.domContentLoadedEventEnd };
    });
    paints.push(timing.paint);
    responses.push(timing.response);
  }
  await page.waitForSelector('#live[data-connected="true"]');
  const base = courseReports()[0]!;
  const updates: number[] = [];
  for (let i = 0; i < Number(values.updates); i++) {
    const lab = `lab${String((i % 50) + 1).padStart(3, '0')}`;
    const before = await page.locator(`#row-${lab} td.num`).nth(1).textContent();
    const started = performance.now();
    await course.submit({ ...base, lab }, new Date().toISOString());
    // The row's attempt count, on screen.
    await page.waitForFunction(([l, b]) => document.querySelectorAll(`#row-${l} td.num`)[1]?.textContent !== b, [lab, before] as const, { polling: 'raf', timeout: 5000 });
    updates.push(performance.now() - started);
  }
  const paint = summarize(paints);
  const response = summarize(responses);
  const update = summarize(updates);
  const ms = (n: number) => `${Math.round(n)} ms`;
  const section = `${BOARD_BEGIN}
## The class board: ${labs} labs in Chromium

\`npm run bench:board\` (bench/board.ts), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Debian's Chromium headless
through playwright-core; the board's first page shows 50 rows, the server holds every attempt's report.

| | median | slowest | runs |
|---|---|---|---|
| time to first render (navigation to first contentful paint) | ${ms(paint.median)} | ${ms(paint.max)} | ${paints.length} |
| of which the server's response (request to last byte) | ${ms(response.median)} | ${ms(response.max)} | ${responses.length} |
| recording an attempt to its row updated on screen (no reload) | ${ms(update.median)} | ${ms(update.max)} | ${updates.length} |
`;
  const doc = join(REPO, 'docs', 'BENCHMARKS.md');
  await writeFile(doc, replaceBoardSection(await readFile(doc, 'utf8'), section));
  console.log(section);
} finally {
  await browser.close();
  await course.close();
  await rm(dir, { recursive: true, force: true });
}
