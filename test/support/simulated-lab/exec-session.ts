// One command session on a simulated VM, as sshd and sh would serve it: the exec request must be
// the grader's SESSION_REQUEST (or WITNESS_REQUEST: one witness line, then the end of input); then each line on stdin is one command, run when the one before it
// has ended: its begin markers, the command as a "process" under the line's `timeout` (exit 124
// when it expires), its output through the VM's fault if one applies, its end markers with the
// exit status. The channel stays open for the next line until the grader closes it.
import type { ServerChannel } from 'ssh2';
import type { Role } from '../../../grader/core/roles.ts';
import { SESSION_REQUEST, WITNESS_REQUEST } from '../../../grader/transport/command-wrapper.ts';
import { appliesTo, FLOOD_CHUNK, GARBAGE, INFLATE_STEP, PARTIAL_OUTPUT_BYTES } from './faults.ts';
import type { LabState, StopReason } from './lab-state.ts';
import { notFound, responderFor, type ExitStatus } from './responders.ts';
import { unwrapLine, unwrapWitnessLine, type UnwrappedCommand } from './wrapper.ts';

export interface ExecOrigin {
  role: Role;
  /** The grader's source port, for $SSH_CONNECTION. */
  clientPort: number;
  /** Cuts the TCP connection this request came on. */
  dropConnection(): void;
}

// A drop waits this long after the partial output (or, with none, after the start).
const DROP_AFTER_OUTPUT_MS = 500;
const DROP_WITHOUT_OUTPUT_MS = 1_000;
const SIGNAL_NUMBERS: Record<string, number> = { TERM: 15, PIPE: 13, KILL: 9 };

function statusOf(reason: unknown): ExitStatus {
  return (reason as StopReason) === 'timeout' ? { code: 124 } : { signal: 'TERM' };
}

// What sh's $? says of a status: a process killed by a signal is 128 + its number.
function shellStatus(status: ExitStatus): number {
  return 'code' in status ? status.code : 128 + (SIGNAL_NUMBERS[status.signal] ?? 15);
}

interface Output {
  open(): boolean;
  send(stream: 'stdout' | 'stderr', data: string | Buffer): void;
  /** Writes `chunk` on both streams; false when flow control asks to wait. */
  flood(chunk: Buffer): boolean;
  /** Resolves when both streams may take more (or the session or the process ended). */
  drained(signal: AbortSignal): Promise<void>;
}

export function serveExec(lab: LabState, channel: ServerChannel, request: string, origin: ExecOrigin): void {
  const { role } = origin;
  let open = true;
  const running = new Set<AbortController>();
  channel.on('error', () => undefined);
  channel.on('close', () => {
    open = false;
    for (const process of running) process.abort('TERM' satisfies StopReason);
  });
  const out: Output = {
    open: () => open,
    send: (stream, data) => {
      if (open && data.length > 0) (stream === 'stdout' ? channel : channel.stderr).write(data);
    },
    flood: (chunk) => [channel.write(chunk), channel.stderr.write(chunk)].every(Boolean),
    drained: (signal) => drained([channel, channel.stderr], channel, signal),
  };
  const witness = request === WITNESS_REQUEST;
  if (request !== SESSION_REQUEST && !witness) {
    lab.unexpected.push(`${role}: not the session request: ${request}`);
    out.send('stderr', `sh: 1: Syntax error: not the grader's session\n`);
    channel.exit(2);
    return void channel.end();
  }

  let buffered = '';
  let queue = Promise.resolve();
  channel.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      queue = queue.then(() => serveLine(lab, line, origin, out, running, witness));
    }
  });
  channel.on('end', () => {
    void queue.then(() => {
      if (!open) return;
      channel.exit(0);
      channel.end();
    });
  });
}

// Runs one line; resolves when the command has ended (never, for a hang: like sh, the session then
// reads no further line).
async function serveLine(lab: LabState, line: string, origin: ExecOrigin, out: Output, running: Set<AbortController>, witness: boolean): Promise<void> {
  const { role } = origin;
  let unwrapped: UnwrappedCommand;
  try {
    unwrapped = witness ? unwrapWitnessLine(line) : unwrapLine(line);
  } catch (error) {
    lab.unexpected.push(`${role}: not a session line (${(error as Error).message}): ${line}`);
    out.send('stderr', `sh: 1: Syntax error: ${(error as Error).message}\n`);
    return;
  }
  const { inner } = unwrapped;
  lab.commands[role].push(inner);
  out.send('stdout', unwrapped.stdout);
  out.send('stderr', unwrapped.stderr);

  const fault = lab.faults[role];
  const hit = appliesTo(fault, inner) ? fault.kind : undefined;
  const silenced = hit === 'hang' || hit === 'drop';
  let passed = 0;
  let dropTimer: NodeJS.Timeout | undefined;
  const scheduleDrop = (ms: number) => {
    clearTimeout(dropTimer);
    dropTimer = setTimeout(origin.dropConnection, ms);
  };
  if (hit === 'drop') scheduleDrop(DROP_WITHOUT_OUTPUT_MS);
  // Hang and drop let the first bytes of output through, then nothing.
  const inflation = hit === 'inflate' ? ++lab.inflatedCommands * INFLATE_STEP : 0;
  const output = (stream: 'stdout' | 'stderr') => (data: string | Buffer) => {
    if (inflation > 0) return out.send(stream, data.toString().replace(/(?<=[:\s])\d+(?=\s|$)/gm, (n) => String(Number(n) + inflation)));
    if (!silenced) return out.send(stream, data);
    if (passed >= PARTIAL_OUTPUT_BYTES) return;
    const part = Buffer.from(data).subarray(0, PARTIAL_OUTPUT_BYTES - passed);
    if (passed === 0 && hit === 'drop') scheduleDrop(DROP_AFTER_OUTPUT_MS);
    passed += part.length;
    out.send(stream, part);
  };

  const process = new AbortController();
  lab.processes.add(process);
  running.add(process);
  const timeout = unwrapped.timeout;
  const timer = timeout ? setTimeout(() => process.abort('timeout' satisfies StopReason), timeout.seconds * 1000) : undefined;

  const run = async (): Promise<ExitStatus> => {
    if (hit === 'flood') return flood(lab, out, process.signal);
    if (hit === 'garbage') {
      out.send('stdout', GARBAGE);
      return { code: 0 };
    }
    const found = responderFor(inner);
    if (!found) {
      lab.unexpected.push(`${role}: no responder: ${inner}`);
      const { stderr, status } = notFound(inner);
      out.send('stderr', stderr);
      return status;
    }
    return found.responder.run({
      args: found.args,
      role,
      vm: lab.topology[role],
      lab,
      clientPort: origin.clientPort,
      stdout: output('stdout'),
      stderr: output('stderr'),
      signal: process.signal,
      stop: (reason) => process.abort(reason),
    });
  };

  const status = await run().catch((error: unknown) => {
    if (process.signal.aborted) return statusOf(process.signal.reason);
    lab.unexpected.push(`${role}: responder failed on ${inner}: ${String(error)}`);
    return { code: 1 };
  });
  clearTimeout(timer);
  lab.processes.delete(process);
  running.delete(process);
  if (silenced) return new Promise<void>(() => undefined); // frozen: this session never answers again
  const after = unwrapped.after(shellStatus(status));
  out.send('stdout', after.stdout);
  out.send('stderr', after.stderr);
}

// Writes FLOOD_CHUNK on stdout and stderr for as long as the session is open, waiting whenever
// SSH flow control says so: "as fast as possible" is as fast as the grader reads.
async function flood(lab: LabState, out: Output, signal: AbortSignal): Promise<ExitStatus> {
  while (out.open()) {
    if (signal.aborted) throw signal.reason;
    const full = out.flood(FLOOD_CHUNK);
    lab.floodedBytes += 2 * FLOOD_CHUNK.length;
    if (!full) await out.drained(signal);
  }
  return { signal: 'PIPE' };
}

function drained(streams: Array<NodeJS.WritableStream & { writableNeedDrain?: boolean }>, channel: ServerChannel, signal: AbortSignal): Promise<void> {
  const full = streams.filter((stream) => stream.writableNeedDrain !== false);
  return new Promise((resolve) => {
    let waiting = full.length;
    const done = () => {
      for (const stream of full) stream.off('drain', one);
      channel.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const one = () => {
      if (--waiting === 0) done();
    };
    if (waiting === 0) return done();
    for (const stream of full) stream.once('drain', one);
    channel.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
