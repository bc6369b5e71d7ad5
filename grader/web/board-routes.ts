import type { IncomingMessage, ServerResponse } from 'node:http';
import { extensionProblem, parseInstant } from '../class-report/deadlines.ts';
import { renderClassJunit } from '../class-report/class-junit.ts';
import { renderGradebookCsv } from '../class-report/gradebook-csv.ts';
import { renderGradescopeResults } from '../class-report/gradescope.ts';
import { rosterFromLines } from '../class-report/roster.ts';
import { CLASS_FILES } from '../core/report-files.ts';
import { boardModel, courseSettings, type BoardModel } from './board-model.ts';
import { boardLive, boardPage, PAGE_SIZE, type BoardQuery } from './board-page.ts';
import { DEFAULT_STUCK_RULE, type StuckRule } from './board-stuck.ts';
import { attemptStream } from './event-stream.ts';
import { HTML, readForm, redirect, send } from './http-io.ts';
import { labBody, labPage, type LabPageData } from './lab-page.ts';
import { csrfToken, csrfValid, viewerOf, type Viewer } from './web-access.ts';
import { errorPage, type WebState } from './web-state.ts';

class BadQuery extends Error {}

function boardQuery(url: URL): BoardQuery {
  const at = url.searchParams.getAll('at').filter((v) => v.trim() !== '').at(-1)?.trim();
  const page = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
  const filter = url.searchParams.get('filter')?.trim();
  return { ...(at ? { at } : {}), page: Number.isFinite(page) && page > 0 ? page : 1, pageSize: PAGE_SIZE, ...(filter ? { filter } : {}) };
}

function stuckRule(url: URL): StuckRule {
  const n = (name: string, fallback: number) => {
    const value = Number(url.searchParams.get(name));
    return url.searchParams.has(name) && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return { attempts: n('stuck-attempts', DEFAULT_STUCK_RULE.attempts), minutes: n('stuck-minutes', DEFAULT_STUCK_RULE.minutes) };
}

async function model(url: URL, state: WebState): Promise<{ model: BoardModel; query: BoardQuery }> {
  const query = boardQuery(url);
  const [attempts, settings] = await Promise.all([state.cache.all(), courseSettings(state.context.store)]);
  let at: string | undefined;
  if (query.at === 'deadline') {
    if (!settings.deadline) throw new BadQuery('No deadline is set: there is no class at the deadline to show.');
    at = settings.deadline;
  } else if (query.at) {
    const instant = parseInstant(query.at);
    if (!instant.ok) throw new BadQuery(`${query.at}: ${instant.reason}`);
    at = instant.iso;
  }
  return { model: boardModel(attempts, settings, { ...(at ? { at } : {}), now: state.context.now(), stuck: stuckRule(url) }), query };
}

async function labData(lab: string, url: URL, state: WebState, viewer: Viewer): Promise<LabPageData | undefined> {
  const [all, settings] = await Promise.all([state.cache.all(), courseSettings(state.context.store)]);
  const attempts = all.filter((a) => a.lab === lab);
  const student = rosterFromLines(settings.rosters.at(-1)?.entries ?? []).get(lab);
  if (attempts.length === 0 && !student) return undefined;
  const wanted = Number(url.searchParams.get('attempt'));
  const withReport = attempts.filter((a) => a.report);
  const shown = withReport.find((a) => a.id === wanted) ?? withReport.at(-1);
  const board = boardModel(all, settings, { now: state.context.now(), stuck: DEFAULT_STUCK_RULE });
  const deadline = board.report.labs.find((l) => l.lab === lab)?.attempt?.deadline ?? settings.deadline;
  return { lab, ...(student ? { student } : {}), attempts, ...(shown ? { shown } : {}), ...(deadline ? { deadline } : {}), copies: board.copies.get(lab) ?? [], csrf: csrfToken(state.csrfKey, viewer.session) };
}

function download(res: ServerResponse, name: string, type: string, body: string): void {
  send(res, 200, type, body, { 'Content-Disposition': `attachment; filename="${name}"` });
}

// A state-changing request: a POST from one of the board's own forms (its CSRF field; and when the
// browser says where it comes from, this server).
async function postForm(req: IncomingMessage, viewer: Viewer, state: WebState): Promise<URLSearchParams | string> {
  if (req.method !== 'POST') return 'This is done with the form on the board (POST).';
  const origin = req.headers.origin;
  if (origin && origin !== 'null' && req.headers.host && new URL(origin).host !== req.headers.host) return 'The request came from another site.';
  const form = await readForm(req);
  if (!form) return 'The form could not be read.';
  if (!csrfValid(state.csrfKey, viewer.session, form.get('csrf') ?? undefined)) return 'The form is out of date (or not the board\'s): reload the page and try again.';
  return form;
}

function backTo(form: URLSearchParams, notice: string): string {
  const back = form.get('back');
  const base = back && /^\/board(\/lab\/[^?#]*)?$/.test(back) ? back : '/board';
  return `${base}?done=${encodeURIComponent(notice)}`;
}

// /board and what hangs from it; the caller has checked that the viewer is the instructor.
export async function boardRoutes(req: IncomingMessage, res: ServerResponse, url: URL, viewer: Viewer, state: WebState): Promise<void> {
  const path = url.pathname;
  const { store, events } = state.context;
  try {
    if (path === '/board/events') {
      return attemptStream(req, res, events, () => true, async () => (await viewerOf(store, viewer.session))?.kind === 'instructor');
    }
    if (path === '/board/revoke' || path === '/board/extension') {
      const form = await postForm(req, viewer, state);
      if (typeof form === 'string') return errorPage(res, 403, form);
      const student = form.get('student')?.trim();
      if (!student) return errorPage(res, 400, 'Which student? Give their id.');
      if (path === '/board/revoke') {
        const revoked = await store.revokeTokens(student);
        return redirect(res, backTo(form, `${revoked} token(s) of ${student} revoked`));
      }
      const extension = form.get('extension')?.trim() || undefined;
      const problem = extension ? extensionProblem(extension) : undefined;
      if (problem) return errorPage(res, 400, problem);
      await store.setExtension(student, extension);
      return redirect(res, backTo(form, extension ? `extension of ${student}: ${extension}` : `extension of ${student} cleared`));
    }
    if (path === '/board' || path === '/board/live') {
      const { model: m, query } = await model(url, state);
      if (path === '/board/live') return send(res, 200, HTML, boardLive(m, query));
      return send(res, 200, HTML, boardPage(m, query, csrfToken(state.csrfKey, viewer.session), url.searchParams.get('done') ?? undefined));
    }
    // The class files as the CLI writes them, by the same renderers (write-class-reports.ts).
    if (path === '/board/gradebook.csv') {
      const { model: m } = await model(url, state);
      return download(res, CLASS_FILES.gradebook, 'text/csv; charset=utf-8', renderGradebookCsv(m.report, m.checkIds));
    }
    if (path === '/board/class.xml') return download(res, CLASS_FILES.junit, 'application/xml; charset=utf-8', renderClassJunit((await model(url, state)).model.report));
    const lab = /^\/board\/lab\/([^/]+)(\/live|\/gradescope\.json)?$/.exec(path);
    if (lab) {
      const name = decodeURIComponent(lab[1]!);
      const data = await labData(name, url, state, viewer);
      if (!data) return errorPage(res, 404, `No lab ${name} in the course record or the roster.`);
      if (lab[2] === '/live') return send(res, 200, HTML, labBody(data));
      if (lab[2] === '/gradescope.json') {
        if (!data.shown?.report) return errorPage(res, 404, `${name} has no attempt.`);
        return download(res, 'results.json', 'application/json; charset=utf-8', renderGradescopeResults({ lab: name, ...(data.student ? { student: data.student } : {}), report: data.shown.report }));
      }
      return send(res, 200, HTML, labPage(data, url.search));
    }
    return errorPage(res, 404, 'No such page of the board.');
  } catch (error) {
    if (error instanceof BadQuery) return errorPage(res, 400, error.message);
    throw error;
  }
}
