import { randomBytes } from 'node:crypto';
import { quote } from './shell-quote.ts';

// Seconds `timeout` waits after TERM before it sends KILL.
export const KILL_AFTER_SECONDS = 2;

// A line that no rc file prints: what comes before it on a stream is the login shell's noise.
export function newMarker(): string {
  return `grader-output-begins-${randomBytes(8).toString('hex')}`;
}

// The exec request for `command`: whatever the login shell (dash, bash, zsh, fish), it runs
// `sh -c WRAPPER`; the wrapper prints the marker line on stdout and stderr, then execs the command
// under `timeout -k` when that exists (BusyBox's may lack -k), so the remote process dies at the
// deadline even if the channel is left open.
export function wrapCommand(command: string, marker: string, timeoutSeconds: number): string {
  const inner = `sh -c ${quote(command)}`;
  const wrapper = [
    `printf '%s\\n' ${quote(marker)}`,
    `printf '%s\\n' ${quote(marker)} >&2`,
    `if timeout -k 1 1 true >/dev/null 2>&1; then exec timeout -k ${KILL_AFTER_SECONDS} ${timeoutSeconds} ${inner}; else exec ${inner}; fi`,
  ].join('; ');
  return `sh -c ${quote(wrapper)}`;
}

// Exit statuses GNU/BusyBox `timeout` gives when it had to stop the command (TERM, then KILL).
export function isTimeoutStatus(exitCode: number | null, signal: string | undefined): boolean {
  return exitCode === 124 || exitCode === 137 || signal === 'SIGKILL';
}

// One stream (stdout or stderr) of a wrapped command: drops everything up to the marker line,
// keeps at most `limit` bytes after it. Without a marker (the wrapper never ran) it keeps what
// came, since that says why.
export class OutputCollector {
  private readonly markerLine: Buffer;
  private head = Buffer.alloc(0);
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private markerSeen = false;
  truncated = false;

  constructor(
    marker: string,
    private readonly limit: number,
  ) {
    this.markerLine = Buffer.from(`${marker}\n`);
  }

  /** Returns false once the limit is reached: the rest of the stream is not wanted. */
  push(chunk: Buffer): boolean {
    if (this.truncated) return false;
    let data = chunk;
    if (!this.markerSeen) {
      this.head = Buffer.concat([this.head, chunk]);
      const at = this.head.indexOf(this.markerLine);
      if (at < 0) {
        this.truncated = this.head.length > this.limit + this.markerLine.length;
        return !this.truncated;
      }
      this.markerSeen = true;
      data = this.head.subarray(at + this.markerLine.length);
      this.head = Buffer.alloc(0);
    }
    const room = this.limit - this.size;
    if (data.length > room) {
      data = data.subarray(0, room);
      this.truncated = true;
    }
    this.chunks.push(data);
    this.size += data.length;
    return !this.truncated;
  }

  text(): string {
    const bytes = this.markerSeen ? Buffer.concat(this.chunks) : this.head.subarray(0, this.limit);
    return bytes.toString('utf8');
  }
}
