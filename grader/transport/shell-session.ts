import { constants } from 'node:os';
import type { Client, ClientChannel } from 'ssh2';
import type { Role } from '../core/roles.ts';
import { commandLine, FramedOutput, isTimeoutStatus, KILL_AFTER_SECONDS, newMarkers, SESSION_REQUEST, WITNESS_REQUEST, witnessLine } from './command-wrapper.ts';
import type { CommandResult } from '../core/command-result.ts';
import { HostUnavailableError } from './remote-host.ts';

export interface SessionContext {
  client: Client;
  role: Role | 'jump';
  /** Aborted, with a HostUnavailableError as reason, when the connection is gone. */
  connectionLost: AbortSignal;
  /**
   * `commands` (default): a session that serves command after command. `witness`: a channel for
   * witness reads only (WITNESS_REQUEST, witnessLine), one after another, run by its `/bin/sh`
   * itself: it never starts a process of its own.
   */
  kind?: 'commands' | 'witness';
}

export interface CommandLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

// How long past the remote deadline (and its KILL) the client waits before closing the session
// itself, and how long it then waits for the server to confirm the close.
const CLIENT_GRACE_MS = 1_000;
const CLOSE_WAIT_MS = 2_000;

// sh reports a process killed by signal N as exit status 128 + N.
function signalOf(status: number): string | undefined {
  if (status <= 128) return undefined;
  return Object.entries(constants.signals).find(([, number]) => number === status - 128)?.[0];
}

interface Job {
  command: string;
  line: string;
  limits: CommandLimits;
  started: number;
  stdout: FramedOutput;
  stderr: FramedOutput;
  clientDeadlinePassed: boolean;
  timers: NodeJS.Timeout[];
  resolve(result: CommandResult): void;
  reject(error: unknown): void;
}

// One exec channel running `sh`, to which commands are written one at a time (see commandLine).
// A command that completes leaves the session ready for the next; one that passes its deadline,
// floods past the output bound or loses the channel ends the session, and the next command gets a
// new one. Resolves with whatever the command did; rejects only with a HostUnavailableError
// (connection lost, or the server refused a channel).
export class ShellSession {
  private channel: ClientChannel | undefined;
  private state: 'opening' | 'open' | 'closed' = 'opening';
  private job: Job | undefined;
  private channelExit: number | null = null;
  private failure: HostUnavailableError | undefined;

  private readonly witness: boolean;

  constructor(private readonly context: SessionContext) {
    this.witness = context.kind === 'witness';
    this.onLost = this.onLost.bind(this);
    context.connectionLost.addEventListener('abort', this.onLost, { once: true });
    try {
      context.client.exec(this.witness ? WITNESS_REQUEST : SESSION_REQUEST, (error, stream) => this.opened(error, stream));
    } catch (error) {
      this.fail(new HostUnavailableError(context.role, 'closed', `cannot run a command: ${(error as Error).message}`));
    }
  }

  /** Open (or opening) and not running a command: it can take the next one. */
  get idle(): boolean {
    return this.state !== 'closed' && this.job === undefined;
  }

  run(command: string, limits: CommandLimits): Promise<CommandResult> {
    if (this.job) throw new Error('a session runs one command at a time');
    return new Promise((resolve, reject) => {
      if (this.context.connectionLost.aborted) return reject(this.context.connectionLost.reason);
      if (this.state === 'closed') return reject(this.failure ?? new HostUnavailableError(this.context.role, 'closed', 'the command session is closed'));
      const markers = newMarkers();
      const timeoutSeconds = Math.max(1, Math.ceil(limits.timeoutMs / 1000));
      const job: Job = {
        command,
        line: `${this.witness ? witnessLine(command, markers) : commandLine(command, markers, timeoutSeconds)}\n`,
        limits,
        started: performance.now(),
        stdout: new FramedOutput(markers, limits.maxOutputBytes),
        stderr: new FramedOutput(markers, limits.maxOutputBytes),
        clientDeadlinePassed: false,
        timers: [],
        resolve,
        reject,
      };
      this.job = job;
      const clientDeadlineMs = (timeoutSeconds + KILL_AFTER_SECONDS) * 1000 + CLIENT_GRACE_MS;
      job.timers.push(
        setTimeout(() => {
          job.clientDeadlinePassed = true;
          this.close();
        }, clientDeadlineMs),
      );
      if (this.state === 'open') this.send(job.line);
    });
  }

  // Ends an idle session as a shell ends: end of input, so that its `sh` exits and the VM's sshd
  // reaps it and closes the channel (at most `waitMs`, then closed from this side).
  end(waitMs: number): Promise<void> {
    const channel = this.channel;
    if (this.state !== 'open' || this.job || !channel) {
      this.close();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.close();
        resolve();
      }, waitMs);
      channel.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      channel.end();
    });
  }

  // Ends the session; a command still running completes with what it printed so far.
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.channel?.close();
    const job = this.job;
    if (job) job.timers.push(setTimeout(() => this.complete(job), CLOSE_WAIT_MS)); // a server that never confirms
  }

  private opened(error: Error | undefined, stream: ClientChannel | undefined): void {
    if (this.context.connectionLost.aborted) return void stream?.close();
    if (error || !stream) {
      return this.fail(new HostUnavailableError(this.context.role, 'protocol', `the server refused a command channel: ${error?.message ?? 'no channel'}`));
    }
    if (this.state === 'closed') return void stream.close(); // the deadline gave up on it while it opened
    this.channel = stream;
    this.state = 'open';
    stream.on('exit', (code: number | null) => (this.channelExit = typeof code === 'number' ? code : null));
    stream.on('close', () => {
      this.state = 'closed';
      if (this.job) this.complete(this.job);
      this.context.connectionLost.removeEventListener('abort', this.onLost);
    });
    // Both streams are always read: ssh2 emits 'close' only once both have ended.
    stream.on('data', (chunk: Buffer) => this.received('stdout', chunk));
    stream.stderr.on('data', (chunk: Buffer) => this.received('stderr', chunk));
    if (this.job) this.send(this.job.line);
  }

  private send(line: string): void {
    this.channel!.write(line);
  }

  private received(name: 'stdout' | 'stderr', chunk: Buffer): void {
    const job = this.job;
    if (!job) return; // a stray background process of an earlier command; the next begin marker drops it
    if (!job[name].push(chunk)) return this.close(); // over the bound: the rest is not wanted
    if (job.stdout.ended !== undefined && job.stderr.ended !== undefined) this.complete(job);
  }

  private complete(job: Job): void {
    if (this.job !== job) return;
    this.job = undefined;
    job.timers.forEach(clearTimeout);
    const durationMs = Math.round(performance.now() - job.started);
    const finished = job.stdout.ended !== undefined;
    // Without the end marker the session's sh itself ended: its exit status says why (127: no sh).
    const status = finished ? job.stdout.exitStatus() : this.channelExit;
    const timedOut = job.clientDeadlinePassed || (durationMs >= job.limits.timeoutMs && isTimeoutStatus(status));
    const signal = !timedOut && status !== null ? signalOf(status) : undefined;
    job.resolve({
      command: job.command,
      exitCode: timedOut ? null : status,
      ...(signal ? { signal } : {}),
      stdout: job.stdout.text(),
      stderr: job.stderr.text(),
      timedOut,
      truncated: job.stdout.truncated || job.stderr.truncated,
      durationMs,
    });
  }

  private fail(failure: HostUnavailableError): void {
    this.failure = failure;
    this.state = 'closed';
    this.context.connectionLost.removeEventListener('abort', this.onLost);
    const job = this.job;
    if (!job) return;
    this.job = undefined;
    job.timers.forEach(clearTimeout);
    job.reject(failure);
  }

  private onLost(): void {
    this.fail(this.context.connectionLost.reason as HostUnavailableError);
  }
}
