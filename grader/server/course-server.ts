import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { sanitizeLine } from '../report/sanitize.ts';
import type { GradingContext } from './grade-submission.ts';
import { startGateway, type GatewayLimits } from './ssh-gateway.ts';
import { unfinishedReport } from './unfinished-report.ts';

/** The course's web pages (grader/web/web-app.ts), served on the same port as the students' SSH. */
export type WebHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface CourseServerOptions {
  host: string;
  port: number;
  /** The server's own SSH host key (private, OpenSSH or PEM). */
  hostKey: Buffer;
  /** Serve TLS on the port (both the pages and the students' SSH inside it). */
  tls?: { cert: Buffer; key: Buffer };
  web: WebHandler;
  grading: GradingContext;
  limits: GatewayLimits;
}

export interface CourseServer {
  address: { host: string; port: number };
  /** Stops taking connections, waits up to `waitMs` for gradings in flight, records the rest as interrupted. */
  stop(waitMs: number): Promise<{ finished: number; interrupted: number }>;
}

const FIRST_BYTES_TIMEOUT_MS = 10_000;
export const INTERRUPTED_MESSAGE = 'the course server stopped during this grading: it is not a grade; submit again';

// One port for both: a connection whose first bytes are `SSH-` is a student's submit, anything
// else is HTTP (the pages, /course-key). Campuses that let one port through get both.
function dispatch(socket: Duplex & { setTimeout?: (ms: number, cb?: () => void) => void }, ssh: (s: Duplex) => void, http: (s: Duplex) => void): void {
  socket.on('error', () => undefined);
  const timer = setTimeout(() => socket.destroy(), FIRST_BYTES_TIMEOUT_MS);
  socket.once('data', (chunk: Buffer) => {
    clearTimeout(timer);
    socket.pause();
    socket.unshift(chunk);
    if (chunk.subarray(0, 4).toString('latin1') === 'SSH-') ssh(socket);
    else http(socket);
  });
}

/** Records, as interrupted, the gradings a previous run of the server left unfinished; returns how many. */
export async function recoverInterrupted(context: GradingContext): Promise<number> {
  const left = await context.journal.leftOver();
  for (const { id, grading } of left) {
    const endedAt = context.now().toISOString();
    const report = unfinishedReport(grading.lab, grading.startedAt, endedAt, context.checks, INTERRUPTED_MESSAGE, context.provenance);
    const { attempt } = await context.store.record({ ...grading, endedAt, command: 'submit', machine: hostname(), status: 'interrupted', report });
    await context.journal.end(id);
    context.events.emitAttempt({ id: attempt.id, lab: attempt.lab, state: 'recorded' });
  }
  return left.length;
}

export async function startCourseServer(options: CourseServerOptions): Promise<CourseServer> {
  const { grading } = options;
  await recoverInterrupted(grading);
  const gateway = startGateway(options.hostKey, grading, options.limits);
  const http = createHttpServer({ maxHeaderSize: 16 * 1024, requestTimeout: 30_000 }, options.web);
  const sockets = new Set<Duplex>();
  const onSocket = (socket: Duplex) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    dispatch(
      socket,
      (s) => gateway.server.injectSocket(s as net.Socket),
      (s) => {
        http.emit('connection', s);
        s.resume();
      },
    );
  };
  const front = options.tls ? tls.createServer({ cert: options.tls.cert, key: options.tls.key }, onSocket) : net.createServer(onSocket);
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port, options.host, () => resolve());
  });
  const bound = front.address() as net.AddressInfo;

  return {
    address: { host: bound.address, port: bound.port },
    async stop(waitMs) {
      front.close();
      http.close();
      const inFlight = gateway.inFlight();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs)));
      const outcome = await Promise.race([Promise.allSettled(inFlight).then(() => 'done' as const), timedOut]);
      clearTimeout(timer);
      let interrupted = 0;
      if (outcome === 'timeout') interrupted = await recoverInterrupted(grading);
      for (const socket of sockets) socket.destroy();
      return { finished: inFlight.length - interrupted, interrupted };
    },
  };
}

/** How the server names an address it listens on. */
export function listenUrl(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : sanitizeLine(host)}:${port}`;
}
