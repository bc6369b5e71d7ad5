// What one command on a VM produced. A non-zero exit, a timeout or a truncated output is data.
export interface CommandResult {
  /** The command as the check wrote it (without the transport's wrapping), for evidence. */
  command: string;
  /** Exit status as sh saw it, or null when it timed out or the session ended before it did. */
  exitCode: number | null;
  /** Signal name when the remote process died of a signal (sh's status 128 + N). */
  signal?: string;
  stdout: string;
  stderr: string;
  /** The deadline passed; the remote process was killed and the channel closed. */
  timedOut: boolean;
  /** stdout or stderr went over maxOutputBytes and was cut there. */
  truncated: boolean;
  durationMs: number;
}
