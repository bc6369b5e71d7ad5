import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttemptEvents, AttemptNotice } from './web-context.ts';

/** Every this many ms: a comment that keeps proxies from closing the stream, and the session checked again. */
export const KEEP_ALIVE_MS = 20_000;

// A server-sent event stream of the attempts `wanted` lets through: `event: attempt`, data
// `{"id","lab"}`. Ends when the client leaves, or when `stillAllowed` says the session stopped
// opening it (a revoked token, a new board secret).
export function attemptStream(req: IncomingMessage, res: ServerResponse, events: AttemptEvents, wanted: (a: AttemptNotice) => boolean, stillAllowed: () => Promise<boolean>): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write('retry: 2000\n\n');
  const off = events.onAttempt((attempt) => {
    if (!wanted(attempt)) return;
    res.write(`event: attempt\ndata: ${JSON.stringify({ id: String(attempt.id), lab: String(attempt.lab) })}\n\n`);
  });
  const timer = setInterval(() => {
    stillAllowed().then(
      (ok) => (ok ? res.write(': keep-alive\n\n') : res.end()),
      () => res.end(),
    );
  }, KEEP_ALIVE_MS);
  timer.unref();
  const stop = () => {
    off();
    clearInterval(timer);
  };
  req.on('close', stop);
  res.on('close', stop);
}
