// The board and the student's page in Debian's Chromium (integration tier: needs Chromium), served
// by the web app from a real SQLite store on 127.0.0.1. UPDATE_SCREENSHOTS=1 also copies the
// screenshots to docs/ (board and student page, 1400 px and phone width).
import { spawnSync } from 'node:child_process';
import { copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseReports, HOSTILE_HOST, HOSTILE_NIC, hostileReport, openCourse, type Course } from '../support/board-course.ts';
import { browserContext } from '../support/chromium-page.ts';
import { tempDir } from '../support/test-files.ts';

const REPO = join(import.meta.dirname, '..', '..');

describe('the board in Chromium', () => {
  const dir = tempDir('board-browser-', { shared: true });
  let course: Course;
  let instructor: Awaited<ReturnType<typeof browserContext>>;
  let student: Awaited<ReturnType<typeof browserContext>>;
  let board: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build-web.mjs')], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`scripts/build-web.mjs failed: ${build.stderr}`);
    course = await openCourse(join(dir(), 'store'));
    instructor = await browserContext(1400);
    student = await browserContext(1400);
    board = await instructor.context.newPage();
    board.on('console', (m) => (m.type() === 'error' ? consoleErrors.push(m.text()) : undefined));
    await board.goto(`${course.url}/login?secret=${course.secret}`);
    await board.waitForSelector('#live[data-connected="true"]');
  });
  afterAll(async () => {
    await instructor?.close();
    await student?.close();
    await course?.close();
  });

  it('logs in from the link and leaves the secret out of the address bar', () => {
    expect(board.url()).toBe(`${course.url}/board`);
  });

  // The latency from recording to the screen is measured by `npm run bench:board` (docs/BENCHMARKS.md),
  // not here: a shared 2-core machine makes a timed assertion flaky.
  it('shows a new attempt live, without a reload', async () => {
    await board.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const row = board.locator('#row-lab03');
    await expect.poll(() => row.locator('td.num').first().textContent()).toBe('7/15');
    const fixed = courseReports().find((r) => r.lab === 'lab03')!;
    const good = { ...fixed, diagnoses: [], score: 15, summary: { pass: 10, fail: 0, error: 0, total: 10 }, results: fixed.results.map((r) => ({ ...r, status: 'pass' as const, points: r.maxPoints })) };
    await course.submit(good, new Date().toISOString());
    await board.waitForFunction(() => document.querySelector('#row-lab03 td.num')?.textContent === '15/15', undefined, { timeout: 20_000 });
    expect(await board.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await row.getAttribute('class')).toBe('updated');
    expect(await board.locator('#announce').textContent()).toBe('New attempt: lab03');
  });

  it('a student\'s page shows their attempt and what to fix', async () => {
    const page = await student.context.newPage();
    await page.goto(`${course.url}/login?token=${course.tokens.get('lab01')}`);
    expect(page.url()).toBe(`${course.url}/student`);
    await expect.poll(() => page.getByRole('heading', { name: 'What to fix, in order' }).isVisible()).toBe(true);
    expect(await page.locator('main').textContent()).toContain('virsh edit vm1');
    expect(await page.locator('table.results tbody tr').count()).toBe(10);
    await page.close();
  });

  it('a student\'s token gets 403 on another student\'s page and on the board', async () => {
    const page = await student.context.newPage();
    expect((await page.goto(`${course.url}/student/00124`))?.status()).toBe(403);
    expect((await page.goto(`${course.url}/board`))?.status()).toBe(403);
    expect((await page.goto(`${course.url}/board/lab/lab01`))?.status()).toBe(403);
    expect(await page.locator('main').textContent()).not.toContain('lab01');
    await page.close();
  });

  it('a lab whose NIC and host names carry script and markup shows them as text, and none of its script runs', async () => {
    await course.submit(hostileReport('lab05'), new Date().toISOString());
    await board.waitForFunction(() => document.querySelector('#row-lab05')?.className === 'updated', undefined, { timeout: 20_000 });
    const page = await instructor.context.newPage();
    await page.goto(`${course.url}/board/lab/lab05`);
    const identity = await page.locator('table.identity tbody tr').first().textContent();
    expect(identity).toContain(HOSTILE_HOST);
    expect(identity).toContain(HOSTILE_NIC);
    await page.locator('table.results details summary').first().click();
    expect(await page.locator('table.results pre').first().textContent()).toContain('<script>window.__pwned=3</script>');
    for (const p of [page, board]) {
      expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await p.locator('main img, main b, main script').count()).toBe(0);
    }
    await page.close();
  });

  it('is keyboard-navigable: the first Tab reaches "Skip to content", which moves focus to the page', async () => {
    const page = await instructor.context.newPage();
    await page.goto(`${course.url}/board`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.close();
  });

  it('fits a phone and 200% zoom: the page never scrolls sideways (tables scroll in their own box); screenshots', async () => {
    const shots: Array<[string, string, number]> = [
      ['board', '/board', 1400],
      ['board', '/board', 700],
      ['board', '/board', 390],
      ['student', '/student', 1400],
      ['student', '/student', 390],
    ];
    for (const [name, path, width] of shots) {
      const ctx = name === 'board' ? instructor : student;
      const page = await ctx.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${course.url}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name} at ${width}`).toBeLessThanOrEqual(0);
      const file = join(dir(), `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: width !== 1400 || name === 'student' });
      expect((await stat(file)).size).toBeGreaterThan(10_000);
      if (process.env.UPDATE_SCREENSHOTS === '1' && width !== 700) await copyFile(file, join(REPO, 'docs', `${name}-${width === 1400 ? '1400' : 'phone'}.png`));
      await page.close();
    }
    expect(consoleErrors).toEqual([]);
  });
});
