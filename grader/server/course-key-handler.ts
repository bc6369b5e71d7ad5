import type { WebContext, WebHandler } from './web-context.ts';

/** Where the course's public key is published, for `submit --course-key URL`. */
export const COURSE_KEY_PATH = '/course-key';

// The least web side a course server needs until the pages (grader/web/) exist: the course's
// public key at /course-key, 404 for everything else.
export function courseKeyHandler(context: WebContext): WebHandler {
  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (request.method === 'GET' && path === COURSE_KEY_PATH) {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end(`${context.coursePublicKey}\n`);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('not found\n');
  };
}
