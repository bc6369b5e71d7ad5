import ssh2, { type Connection, type ServerChannel } from 'ssh2';
import { sanitizeLine } from '../report/sanitize.ts';
import type { TokenRecord } from '../store/course-store.ts';
import { formatTarget } from '../transport/ssh-host.ts';
import { gradeSubmission, type GradingContext, type SubmissionResult } from './grade-submission.ts';
import { BusyError, GradingQueue } from './grading-queue.ts';
import { RateLimit } from './rate-limit.ts';
import { parseSubmitRequest, vmAddressKey } from './submit-request.ts';
import { tunnelJump } from './tunnel-lab.ts';
import { relayHypervisor } from './virsh-relay-hypervisor.ts';
import { VIRSH_RELAY_HOST, VIRSH_RELAY_PORT } from './virsh-relay-protocol.ts';
import { DEFAULT_LIBVIRT_URI } from '../config/inventory.ts';

/** The SSH user name a student's client logs in with; the token is its password. */
export const SUBMIT_USER = 'token';
const MAX_TOKEN_LENGTH = 200;

export interface GatewayLimits {
  /** Gradings at once (the rest queue). */
  concurrency: number;
  /** Submissions per student within `windowMs`. */
  perStudent: number;
  /** Failed logins per source address within `windowMs`. */
  failedLoginsPerAddress: number;
  /** Connections per source address within `windowMs` (a campus NAT is one address for many). */
  connectionsPerAddress: number;
  windowMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = { concurrency: 8, perStudent: 10, failedLoginsPerAddress: 20, connectionsPerAddress: 600, windowMs: 10 * 60_000 };

export interface Gateway {
  server: ssh2.Server;
  queue: GradingQueue;
  /** Gradings running or queued now, for a clean stop. */
  inFlight(): Promise<unknown>[];
}

// The SSH side of the course server: a student's client logs in with its token, asks for remote
// forwarding of its lab's three VMs (host and port each: nothing else is accepted), and runs one
// `submit <JSON>`. The server grades the lab through those forwarded streams and answers on the
// exec channel: queue places, then the console's results, then where the attempt was recorded.
export function startGateway(hostKey: Buffer, context: GradingContext, limits: GatewayLimits): Gateway {
  const queue = new GradingQueue(limits.concurrency);
  const perStudent = new RateLimit(limits.perStudent, limits.windowMs);
  const failedLogins = new RateLimit(limits.failedLoginsPerAddress, limits.windowMs);
  const connections = new RateLimit(limits.connectionsPerAddress, limits.windowMs);
  const running = new Set<Promise<unknown>>();

  const server = new ssh2.Server({ hostKeys: [hostKey], ident: 'router-lab-grader' }, (conn: Connection, info) => {
    const address = info.ip;
    const nowMs = () => context.now().getTime();
    if (connections.take(address, nowMs()) > 0) {
      conn.end();
      return;
    }
    let owner: { token: string; record: TokenRecord } | undefined;
    const forwarded = new Set<string>();
    let virshRelayed = false;
    let dropped = false;
    let sessions = 0;
    const abort = new AbortController();
    conn.on('error', () => undefined);
    conn.on('close', () => {
      dropped = true;
      abort.abort(new Error('the student disconnected'));
    });

    conn.on('authentication', (ctx) => {
      if (ctx.method !== 'password' || ctx.username !== SUBMIT_USER) return ctx.reject(['password']);
      if (failedLogins.waitFor(address, nowMs()) > 0) return ctx.reject([]);
      const token = ctx.password;
      if (token.length > MAX_TOKEN_LENGTH) return ctx.reject([]);
      context.store.checkToken(token).then(
        (record) => {
          if (!record) {
            failedLogins.take(address, nowMs());
            return ctx.reject([]);
          }
          owner = { token, record };
          ctx.accept();
        },
        () => ctx.reject([]),
      );
    });

    conn.on('ready', () => {
      conn.on('request', (accept, reject, name, request) => {
        if (name !== 'tcpip-forward') return reject?.();
        const { bindAddr, bindPort } = request as { bindAddr: string; bindPort: number };
        if (bindAddr === VIRSH_RELAY_HOST && bindPort === VIRSH_RELAY_PORT) {
          virshRelayed = true;
          return accept?.();
        }
        if (forwarded.size >= 3) return reject?.();
        if (typeof bindAddr !== 'string' || bindAddr.length > 253 || !Number.isInteger(bindPort) || bindPort < 1 || bindPort > 65535) return reject?.();
        forwarded.add(vmAddressKey(bindAddr, bindPort));
        accept?.();
      });
      conn.on('session', (accept, reject) => {
        if (sessions++ > 0) return reject();
        const session = accept();
        session.once('exec', (acceptExec, _rejectExec, { command }) => {
          const channel = acceptExec();
          const answer = (text: string, code: number) => finish(channel, conn, text, code);
          const request = parseSubmitRequest(command);
          if (typeof request === 'string') return answer(`refused: ${request}\n`, 2);
          const { record, token } = owner!;
          if (request.lab !== undefined && request.lab !== record.lab) return answer(`refused: this token is lab ${record.lab}'s, and your client found lab ${sanitizeLine(request.lab)}: submit your own lab\n`, 2);
          const missing = Object.values(request.vms).filter((vm) => !forwarded.has(vmAddressKey(vm.host, vm.port)));
          if (missing.length > 0) return answer(`refused: your client did not forward ${missing.map((vm) => formatTarget(vm.host, vm.port)).join(', ')}\n`, 2);
          if (request.domains && !virshRelayed) return answer('refused: your client named its domains but relays no virsh queries\n', 2);
          const wait = perStudent.take(record.studentId, nowMs());
          if (wait > 0) return answer(`refused: too many submissions; try again in ${Math.ceil(wait / 60_000)} min\n`, 2);
          const submittedAt = context.now().toISOString();
          const via = tunnelJump(conn, forwarded, `your machine (${address})`);
          const hypervisor = request.domains ? relayHypervisor(conn, `your machine (${address})`, DEFAULT_LIBVIRT_URI) : undefined;
          const grading = queue.enqueue(
            record.studentId,
            {
              onPlace: (place) => channel.write(`queued: place ${place} (${queue.active} grading now)\n`),
              run: () => {
                channel.write(`grading lab ${record.lab}...\n`);
                return gradeSubmission(context, { token, owner: record, request, sourceAddress: address, submittedAt, via, ...(hypervisor ? { hypervisor } : {}), dropped: () => dropped });
              },
            },
            abort.signal,
          );
          running.add(grading);
          grading.then(
            (result: SubmissionResult) => answer(result.text, result.exitCode),
            (error: unknown) => answer(error instanceof BusyError ? 'refused: a submission of your lab is already being graded; wait for its result\n' : `error: the server could not grade this submission (${error instanceof Error ? error.message : String(error)}); run submit again\n`, error instanceof BusyError ? 2 : 3),
          ).finally(() => running.delete(grading));
        });
      });
    });
  });
  return { server, queue, inFlight: () => [...running] };
}

function finish(channel: ServerChannel, conn: Connection, text: string, code: number): void {
  try {
    if (code >= 2) channel.stderr.write(text);
    else channel.write(text);
    channel.exit(code);
    channel.end();
  } catch {
    // the student is gone
  }
  setTimeout(() => conn.end(), 1000).unref();
}
