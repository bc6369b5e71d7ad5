// One exec request on a simulated VM, as sshd and sh would serve it: the wrapper's marker lines,
// then the command as a "process" under the wrapper's `timeout` (exit 124 when it expires), its
// output through the VM's fault if one applies, its exit status, the channel's close.
import type { ServerChannel } from 'ssh2';
import type { Role } from '../../../grader/lab/roles.ts';
import { appliesTo, FLOOD_CHUNK, GARBAGE, PARTIAL_OUTPUT_BYTES } from './faults.ts';
import type { LabState, StopReason } from './lab-state.ts';
import { notFound, responderFor, type ExitStatus } from './responders.ts';
import { unwrapCommand, type UnwrappedCommand } from './wrapper.ts';

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

function statusOf(reason: unknown): ExitStatus {
  return (reason as StopReason) === 'timeout' ? { code: 124 } : { signal: 'TERM' };
}

export function serveExec(lab: LabState, channel: ServerChannel, request: string, origin: ExecOrigin): void {
  const { role } = origin;
  let open = true;
  channel.on('error', () => undefined);
  channel.on('close', () => (open = false));
  const send = (stream: 'stdout' | 'stderr', data: string | Buffer) => {
    if (open && data.length > 0) (stream === 'stdout' ? channel : channel.stderr).write(data);
  };
  const finish = (status: ExitStatus) => {
    if (!open) return;
    if ('code' in status) channel.exit(status.code);
    else channel.exit(status.signal, false, '');
    channel.end();
  };

  let unwrapped: UnwrappedCommand;
  try {
    unwrapped = unwrapCommand(request);
  } catch (error) {
    lab.unexpected.push(`${role}: not the wrapper (${(error as Error).message}): ${request}`);
    send('stderr', `sh: 1: Syntax error: ${(error as Error).message}\n`);
    return finish({ code: 2 });
  }
  const { inner } = unwrapped;
  lab.commands[role].push(inner);
  send('stdout', unwrapped.stdout);
  send('stderr', unwrapped.stderr);

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
  const output = (stream: 'stdout' | 'stderr') => (data: string | Buffer) => {
    if (!silenced) return send(stream, data);
    if (passed >= PARTIAL_OUTPUT_BYTES) return;
    const part = Buffer.from(data).subarray(0, PARTIAL_OUTPUT_BYTES - passed);
    if (passed === 0 && hit === 'drop') scheduleDrop(DROP_AFTER_OUTPUT_MS);
    passed += part.length;
    send(stream, part);
  };

  const process = new AbortController();
  lab.processes.add(process);
  const timeout = unwrapped.timeout;
  const timer = timeout ? setTimeout(() => process.abort('timeout' satisfies StopReason), timeout.seconds * 1000) : undefined;

  const run = async (): Promise<ExitStatus> => {
    if (hit === 'flood') return flood(lab, channel, process.signal, () => open);
    if (hit === 'garbage') {
      send('stdout', GARBAGE);
      return { code: 0 };
    }
    const found = responderFor(inner);
    if (!found) {
      lab.unexpected.push(`${role}: no responder: ${inner}`);
      const { stderr, status } = notFound(inner);
      send('stderr', stderr);
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

  run()
    .catch((error: unknown) => {
      if (process.signal.aborted) return statusOf(process.signal.reason);
      lab.unexpected.push(`${role}: responder failed on ${inner}: ${String(error)}`);
      return { code: 1 };
    })
    .then((status) => {
      clearTimeout(timer);
      lab.processes.delete(process);
      if (!silenced) finish(status);
    });
}

// Writes FLOOD_CHUNK on stdout and stderr for as long as the channel is open, waiting whenever SSH
// flow control says so: "as fast as possible" is as fast as the grader reads.
async function flood(lab: LabState, channel: ServerChannel, signal: AbortSignal, isOpen: () => boolean): Promise<ExitStatus> {
  const streams = [channel, channel.stderr];
  while (isOpen()) {
    if (signal.aborted) throw signal.reason;
    const full = streams.filter((stream) => {
      lab.floodedBytes += FLOOD_CHUNK.length;
      return !stream.write(FLOOD_CHUNK);
    });
    if (full.length > 0) await drained(full, channel, signal);
  }
  return { signal: 'PIPE' };
}

function drained(streams: Array<NodeJS.WritableStream>, channel: ServerChannel, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let waiting = streams.length;
    const done = () => {
      for (const stream of streams) stream.off('drain', one);
      channel.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const one = () => {
      if (--waiting === 0) done();
    };
    for (const stream of streams) stream.once('drain', one);
    channel.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
