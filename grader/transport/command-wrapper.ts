import { randomBytes } from 'node:crypto';
import { quote } from './shell-quote.ts';

// Seconds `timeout` waits after TERM before it sends KILL.
export const KILL_AFTER_SECONDS = 2;

/**
 * The exec request that opens a command session: whatever the login shell (dash, bash, zsh, fish,
 * csh), it becomes a plain `sh` reading command lines from the channel's stdin, one at a time.
 * One session serves many commands, so sshd sets up a session (fork, PAM, login shell: about
 * 0.1 s of the VM's CPU) once rather than once per command.
 */
export const SESSION_REQUEST = 'exec sh';

/**
 * The exec request of a witness channel (see witnessLine): `/bin/sh` by its absolute path, so that
 * no program from the VM's PATH runs in the channel, and one command line only, sent on stdin.
 */
export const WITNESS_REQUEST = 'exec /bin/sh';

/** Lines that no rc file and no command prints: they frame one command's output on each stream. */
export interface Markers {
  begin: string;
  end: string;
}

export function newMarkers(): Markers {
  const nonce = randomBytes(8).toString('hex');
  return { begin: `grader-output-begins-${nonce}`, end: `grader-output-ends-${nonce}` };
}

// One command for the session's `sh`, as a single line: the begin marker on stdout and stderr, the
// command under `timeout -k` when that exists (BusyBox's may lack -k) so that it dies at the
// deadline even if the grader is gone, with stdin from /dev/null so that it cannot read the
// session's next lines, then the end marker with its exit status on stdout and alone on stderr.
// The command itself runs in its own `sh -c`: nothing it does (exit, cd, set) reaches the session.
export function commandLine(command: string, markers: Markers, timeoutSeconds: number): string {
  const inner = `sh -c ${quote(command)}`;
  return [
    `printf '%s\\n' ${quote(markers.begin)}`,
    `printf '%s\\n' ${quote(markers.begin)} >&2`,
    `if timeout -k 1 1 true >/dev/null 2>&1; then timeout -k ${KILL_AFTER_SECONDS} ${timeoutSeconds} ${inner}; else ${inner}; fi </dev/null`,
    `printf '%s:%s\\n' ${quote(markers.end)} "$?"`,
    `printf '%s\\n' ${quote(markers.end)} >&2`,
  ].join('; ');
}

// One witness read for a witness channel (WITNESS_REQUEST): the command runs in the channel's
// `/bin/sh` itself, with no `timeout` and no `sh -c` (both are looked up on the PATH, where a
// student's wrapper could stand), so it must use shell builtins (read, printf, case, for) on
// absolute paths only, as one list that does not end in `;` or `&`; the client-side deadline
// stops it. The markers are new for every read and travel only in this line, on a channel that
// ran nothing but earlier witness reads (builtins: none left a process behind): no process the
// grader's commands started could have learnt them before the read, whatever it read of the
// command sessions.
export function witnessLine(command: string, markers: Markers): string {
  return [
    `printf '%s\\n' ${quote(markers.begin)}`,
    `printf '%s\\n' ${quote(markers.begin)} >&2`,
    `{ ${command}; } </dev/null`,
    `printf '%s:%s\\n' ${quote(markers.end)} "$?"`,
    `printf '%s\\n' ${quote(markers.end)} >&2`,
  ].join('; ');
}

// Exit statuses GNU/BusyBox `timeout` gives when it had to stop the command (TERM, then KILL).
export function isTimeoutStatus(exitCode: number | null): boolean {
  return exitCode === 124 || exitCode === 137;
}

// One stream (stdout or stderr) of one command in a session: drops everything up to the begin
// marker line (a login shell's noise, or what a previous command's stray background process
// wrote), keeps at most `limit` bytes of what follows, and stops at the end marker, which on
// stdout carries the exit status. Without a begin marker (the session's `sh` never ran the line)
// it keeps what came, since that says why.
export class FramedOutput {
  private readonly beginLine: Buffer;
  private readonly endMark: Buffer;
  private pending: Buffer = Buffer.alloc(0);
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private begun = false;
  truncated = false;
  /** Set once the end marker's line is complete: what followed the marker on it (":STATUS" on stdout). */
  ended: string | undefined;

  constructor(
    markers: Markers,
    private readonly limit: number,
  ) {
    this.beginLine = Buffer.from(`${markers.begin}\n`);
    this.endMark = Buffer.from(markers.end);
  }

  /** Returns false once the limit is reached: the rest of the stream is not wanted. */
  push(chunk: Buffer): boolean {
    if (this.truncated || this.ended !== undefined) return !this.truncated;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.begun) {
      const at = this.pending.indexOf(this.beginLine);
      if (at < 0) {
        this.truncated = this.pending.length > this.limit + this.beginLine.length;
        return !this.truncated;
      }
      this.begun = true;
      this.pending = this.pending.subarray(at + this.beginLine.length);
    }
    const at = this.pending.indexOf(this.endMark);
    if (at >= 0) {
      const newline = this.pending.indexOf(0x0a, at);
      if (newline < 0) return this.keep(this.pending.subarray(0, at), this.pending.subarray(at));
      this.ended = this.pending.subarray(at + this.endMark.length, newline).toString('latin1');
      return this.keep(this.pending.subarray(0, at), Buffer.alloc(0));
    }
    // The last bytes may be the start of a marker split across chunks: held back until the next.
    const held = Math.min(this.pending.length, this.endMark.length - 1);
    return this.keep(this.pending.subarray(0, this.pending.length - held), this.pending.subarray(this.pending.length - held));
  }

  /** The exit status the end marker carried on stdout, or null. */
  exitStatus(): number | null {
    const match = /^:(\d+)$/.exec(this.ended ?? '');
    return match ? Number(match[1]) : null;
  }

  text(): string {
    const bytes = this.begun ? Buffer.concat(this.chunks) : this.pending.subarray(0, this.limit);
    return bytes.toString('utf8');
  }

  private keep(data: Buffer, rest: Buffer): boolean {
    this.pending = Buffer.from(rest);
    const room = this.limit - this.size;
    const kept = data.length > room ? data.subarray(0, room) : data;
    if (kept.length < data.length) this.truncated = true;
    if (kept.length > 0) this.chunks.push(Buffer.from(kept));
    this.size += kept.length;
    return !this.truncated;
  }
}
