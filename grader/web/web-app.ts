import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreError } from '../store/store-error.ts';
import { AttemptCache } from './attempt-cache.ts';
import { boardRoutes } from './board-routes.ts';
import { TEXT, redirect, securityHeaders, send } from './http-io.ts';
import { studentRoutes } from './student-routes.ts';
import { clearedCookie, instructorSession, readCookie, SESSION_COOKIE, sessionCookie, studentSession, viewerOf, wellFormedSecret } from './web-access.ts';
import { clientScript, MissingClientScript, stylesheet } from './web-assets.ts';
import { COURSE_KEY_PATH, type WebContext } from './web-context.ts';
import { errorPage, type WebState } from './web-state.ts';

async function login(res: ServerResponse, url: URL, state: WebState): Promise<void> {
  const secret = url.searchParams.get('secret');
  const token = url.searchParams.get('token');
  if (wellFormedSecret(secret) && (await state.context.store.checkBoardSecret(secret))) {
    redirect(res, '/board', { 'Set-Cookie': sessionCookie(instructorSession(secret), state.secure) });
    return;
  }
  if (wellFormedSecret(token) && (await state.context.store.checkToken(token))) {
    redirect(res, '/student', { 'Set-Cookie': sessionCookie(studentSession(token), state.secure) });
    return;
  }
  res.setHeader('Set-Cookie', clearedCookie(state.secure));
  errorPage(res, 403, 'This link opens nothing: it was mistyped, revoked or replaced. Ask the course team for a new one.');
}

// The course server's web pages, as one Node request handler: /login, /board and its pages,
// /student, /course-key, /assets. Every page but the key and the assets needs the session cookie.
export function createWebApp(context: WebContext): (req: IncomingMessage, res: ServerResponse) => void {
  const state: WebState = { context, cache: new AttemptCache(context.store), csrfKey: randomBytes(32), secure: context.baseUrl.startsWith('https:') };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://board.invalid');
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return errorPage(res, 405, 'Only GET and POST.');
    if (path === COURSE_KEY_PATH) return send(res, 200, TEXT, `${context.coursePublicKey.trim()}\n`);
    if (path === '/favicon.ico') return send(res, 204, TEXT, '');
    if (path === '/assets/board.css') return send(res, 200, 'text/css; charset=utf-8', stylesheet(), { 'Cache-Control': 'no-cache' });
    if (path === '/assets/board.js') return send(res, 200, 'text/javascript; charset=utf-8', await clientScript(), { 'Cache-Control': 'no-cache' });
    if (path === '/login') return login(res, url, state);
    if (path === '/logout') return redirect(res, '/course-key', { 'Set-Cookie': clearedCookie(state.secure) });
    const viewer = await viewerOf(context.store, readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!viewer) return errorPage(res, 401, 'Open the link the course team gave you (the board link, or your token link): it lets this browser in.');
    if (path === '/' ) return redirect(res, viewer.kind === 'instructor' ? '/board' : '/student');
    if (path === '/board' || path.startsWith('/board/')) {
      if (viewer.kind !== 'instructor') return errorPage(res, 403, 'The board is the course team\'s; your own page is /student.');
      return boardRoutes(req, res, url, viewer, state);
    }
    if (path === '/student' || path.startsWith('/student/')) return studentRoutes(req, res, url, viewer, state);
    return errorPage(res, 404, 'No such page.');
  };
  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof StoreError || error instanceof MissingClientScript) return errorPage(res, 503, error.message);
      context.log?.(`board: ${error instanceof Error ? error.message : String(error)}`);
      errorPage(res, 500, 'The page could not be made; the server\'s log says why.');
    });
  };
}
