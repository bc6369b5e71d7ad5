// The course server's pages over HTTP on loopback (integration tier): a real SQLite store filled
// through its API, the web app in a plain http.createServer. What a browser is not needed for:
// access, cookies, CSRF, the downloads, escaping in the HTML sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderClassJunit } from '../../grader/class-report/class-junit.ts';
import type { ClassReport } from '../../grader/class-report/class-report.ts';
import { classSpan } from '../../grader/class-report/collect-class.ts';
import { parseCsv } from '../../grader/class-report/csv-records.ts';
import { renderGradebookCsv } from '../../grader/class-report/gradebook-csv.ts';
import { renderGradescopeResults } from '../../grader/class-report/gradescope.ts';
import { courseView } from '../../grader/store/course-view.ts';
import { tempDir } from '../support/test-files.ts';
import { CHECK_IDS, COURSE_KEY, DEADLINE, HOSTILE_HOST, HOSTILE_NIC, hostileReport, openCourse, type Course } from '../support/board-course.ts';

async function get(course: Course, path: string, cookie?: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${course.url}${path}`, { redirect: 'manual', ...init, headers: { ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) } });
}

function cookieOf(response: Response): string {
  const set = response.headers.get('set-cookie') ?? '';
  return set.split(';')[0] ?? '';
}

describe('the board over HTTP', () => {
  const dir = tempDir('board-http-', { shared: true });
  let course: Course;
  let instructor: string;
  let student: string;
  beforeAll(async () => {
    course = await openCourse(dir());
    const login = await get(course, `/login?secret=${course.secret}`);
    instructor = cookieOf(login);
    student = cookieOf(await get(course, `/login?token=${course.tokens.get('lab01')}`));
  });
  afterAll(() => course?.close());

  it('login sets an HttpOnly SameSite=Strict cookie and redirects, so the secret leaves the address bar', async () => {
    const login = await get(course, `/login?secret=${course.secret}`);
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/board');
    expect(login.headers.get('set-cookie')).toMatch(/^rlg_session=b\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const token = await get(course, `/login?token=${course.tokens.get('lab01')}`);
    expect(token.headers.get('location')).toBe('/student');
    expect((await get(course, '/login?secret=wrong-secret-wrong-secret')).status).toBe(403);
    expect((await get(course, '/login?token=')).status).toBe(403);
  });

  it('no page without the cookie; a student gets 403 on the board, its pages, its stream and another student\'s page', async () => {
    for (const path of ['/board', '/board/live', '/board/lab/lab01', '/board/gradebook.csv', '/student', '/student/events']) expect((await get(course, path)).status, path).toBe(401);
    for (const path of ['/board', '/board/live', '/board/events', '/board/lab/lab01', '/board/gradebook.csv', '/board/class.xml', '/student/00124']) expect((await get(course, path, student)).status, path).toBe(403);
    expect((await get(course, '/student/00123', student)).headers.get('location')).toBe('/student');
    expect((await get(course, '/board', 'rlg_session=b.forged-secret-forged-secret')).status).toBe(401);
  });

  it('every page carries a CSP without inline script, and the pages load no third-party resource', async () => {
    const board = await get(course, '/board', instructor);
    expect(board.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(board.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const html = await board.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc="\/assets\/board\.js")/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('the board shows the class: rows, pass rates, causes with their labs, late and missing students', async () => {
    const html = await (await get(course, '/board', instructor)).text();
    expect(html.match(/<tr id="row-/g)).toHaveLength(12);
    expect(html).toContain('Pass rate');
    expect(html).toMatch(/<code>not-virtio<\/code><\/th><td class="num">2 of 12<\/td><td><a href="\/board\/lab\/lab01">lab01<\/a>, <a href="\/board\/lab\/lab07">lab07<\/a>/);
    expect(html).toContain('Not yet submitted (1)');
    expect(html).toContain('lab13 Not Yet Submitted (s-013)');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; Co &#34;quoted&#34;');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('a student\'s page shows their own attempt and what to fix, and nothing of another student', async () => {
    const html = await (await get(course, '/student', student)).text();
    expect(html).toContain('Your lab: lab01');
    expect(html).toContain('What to fix, in order');
    expect(html).toContain('virsh edit vm1');
    expect(html).toContain(COURSE_KEY);
    expect(html).toContain('ssh-copy-id -f -i course-key.pub');
    for (const other of ['lab02', 'lab03', 'Łukasiewicz', '00124']) expect(html).not.toContain(other);
  });

  it('downloads are the class files as the CLI renders them from the course record: gradebook CSV, class JUnit, Gradescope', async () => {
    const [attempts, rosters] = await Promise.all([course.store.attempts(), course.store.rosters()]);
    const view = courseView(attempts, { rosters, deadline: DEADLINE, latePolicy: { kind: 'on-time' }, policy: 'latest' });
    const reports = view.labs.map((l) => l.report);
    const report: ClassReport = { ...classSpan(reports, { startedAt: '', durationMs: 0 }), labs: view.labs, missing: view.missing, ...(view.roster ? { roster: view.roster } : {}) };
    const csv = await (await get(course, '/board/gradebook.csv', instructor)).text();
    expect(csv).toBe(renderGradebookCsv(report, CHECK_IDS));
    expect(parseCsv(csv).records.map((r) => r.fields[3])).toContain('lab04');
    const xml = await (await get(course, '/board/class.xml', instructor)).text();
    expect(xml).toBe(renderClassJunit(report));
    expect(xml.match(/<testsuite /g)).toHaveLength(12);
    const gradescope = await (await get(course, '/board/lab/lab04/gradescope.json', instructor)).text();
    const lab04 = view.labs.find((l) => l.lab === 'lab04')!;
    expect(gradescope).toBe(renderGradescopeResults({ lab: 'lab04', ...(lab04.student ? { student: lab04.student } : {}), report: lab04.report }));
    expect((JSON.parse(gradescope) as { score: number }).score).toBe(12);
  });

  it('a POST changes state only with the CSRF field of the board', async () => {
    const page = await (await get(course, '/board', instructor)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await get(course, '/board/extension', instructor, form({ student: '00124', extension: '2d' }))).status).toBe(403);
    expect((await get(course, '/board/extension', instructor, form({ student: '00124', extension: '2d', csrf: `${csrf}x` }))).status).toBe(403);
    expect((await get(course, '/board/extension', student, form({ student: '00123', extension: '9d', csrf }))).status).toBe(403);
    expect((await get(course, '/board/extension', instructor, { ...form({ student: '00124', extension: '2d', csrf }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' } })).status).toBe(403);
    expect((await course.store.extensions()).get('00124')).toBeUndefined();
    const done = await get(course, '/board/extension', instructor, form({ student: '00124', extension: '2d', csrf }));
    expect(done.status).toBe(303);
    expect((await course.store.extensions()).get('00124')).toBe('2d');
    const lab02 = cookieOf(await get(course, `/login?token=${course.tokens.get('lab02')}`));
    expect((await get(course, '/student', lab02)).status).toBe(200);
    await get(course, '/board/revoke', instructor, form({ student: '00124', csrf }));
    expect((await get(course, '/student', lab02)).status).toBe(401);
  });

  it('a lab whose NIC and host names carry markup is sent as text on the board, its lab page and the student\'s page', async () => {
    await course.submit(hostileReport('lab05'), '2026-12-07T15:00:00.000Z');
    const pages = [await (await get(course, '/board', instructor)).text(), await (await get(course, '/board/lab/lab05', instructor)).text()];
    for (const html of pages) {
      expect(html).not.toContain(HOSTILE_NIC);
      expect(html).not.toContain(HOSTILE_HOST);
      expect(html).not.toMatch(/<(img|b|i) /);
      expect(html).not.toMatch(/<script>/);
    }
    expect(pages[1]).toContain('&#60;img src=x onerror=&#34;window.__pwned=1&#34;&#62;');
  });

  it('/course-key is plain text for anyone', async () => {
    const key = await get(course, '/course-key');
    expect(key.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await key.text()).toBe(`${COURSE_KEY}\n`);
  });
});
