import type { ServerResponse } from 'node:http';
import { escapeLine } from '../class-report/html-text.ts';
import type { AttemptCache } from './attempt-cache.ts';
import { HTML, send } from './http-io.ts';
import { pageShell } from './page-shell.ts';
import type { WebContext } from './web-context.ts';

/** What the route handlers share. */
export interface WebState {
  context: WebContext;
  cache: AttemptCache;
  /** The key of the CSRF fields (random at each start: a restart asks for a reload, nothing more). */
  csrfKey: Buffer;
  /** Cookies marked Secure (the server is reached over https). */
  secure: boolean;
}

const HEADINGS: Record<number, string> = { 400: 'That cannot be shown', 401: 'Open your link', 403: 'Not yours to see', 404: 'Not found', 405: 'Not allowed' };

/** A short page that says what went wrong, in one line. */
export function errorPage(res: ServerResponse, status: number, message: string): void {
  send(res, status, HTML, pageShell({ title: `${status} ${HEADINGS[status] ?? 'Something went wrong'}`, heading: HEADINGS[status] ?? 'Something went wrong', body: `<p>${escapeLine(message)}</p>` }));
}
