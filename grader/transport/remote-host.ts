import type { CommandResult } from '../core/command-result.ts';
import type { Role } from '../core/roles.ts';

export interface RunOptions {
  /** Deadline for the whole command, remote process included. @default 15_000 */
  timeoutMs?: number;
  /** Bound on each of stdout and stderr; the rest is discarded. @default 1_048_576 */
  maxOutputBytes?: number;
}

// One SSH connection to one VM, reused for all its commands.
export interface RemoteHost {
  readonly role: Role;
  /** The address and port the grader reached, as written in the inventory. */
  readonly target: string;
  /** The host key it presented in the handshake (`ssh-ed25519 SHA256:...`), when known. */
  readonly hostKey?: string;
  /**
   * Runs a POSIX `sh` command line (build it with the `sh` tag from shell-quote.ts so that every
   * interpolated value is quoted). Rejects only when the connection itself is unusable.
   */
  run(command: string, options?: RunOptions): Promise<CommandResult>;
  /**
   * Runs a witness read: a command of shell builtins only (read, printf, case, for, while) on
   * absolute paths, in an exec channel of its own running `/bin/sh`, which no program from the VM's
   * PATH ever shared, framed by markers sent only with it. No `timeout` guards it on the VM: it
   * must not be able to hang (the client-side deadline still closes the channel).
   */
  runWitness(command: string, options?: RunOptions): Promise<CommandResult>;
  close(): Promise<void>;
}

type ConnectFailure = 'unreachable' | 'timeout' | 'auth' | 'host-key' | 'protocol' | 'closed';

/** A login the VM's SSH server refused: who the grader logged in as, where, and what it offered. */
export interface LoginRefusal {
  user: string;
  host: string;
  port: number;
  /** describeAuthMethods() of the credentials offered: key files, agent, password source; never a secret. */
  offered: string;
}

// The VM cannot be talked to: every check that needs it is an error, never a pass.
export class HostUnavailableError extends Error {
  constructor(
    readonly role: Role | 'jump',
    readonly failure: ConnectFailure,
    message: string,
    /** What was offered, when the login was refused (failure 'auth'). */
    readonly offered?: string,
  ) {
    super(message);
    this.name = 'HostUnavailableError';
  }
}
