import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { Role } from '../core/roles.ts';
import { ChannelLimit } from './channel-limit.ts';
import { oneLine, type Ssh2Error } from './connect-failure.ts';
import type { CommandResult } from '../core/command-result.ts';
import { HostUnavailableError, type RunOptions } from './remote-host.ts';
import { SessionPool } from './session-pool.ts';
import { ShellSession } from './shell-session.ts';

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_OUTPUT_BYTES = 1_048_576;
const END_WAIT_MS = 2_000;

// An authenticated ssh2 connection: runs commands (at most maxChannels at once, each in a command
// session that stays open for the next one), opens tunnels for hosts behind it, and turns its own
// death into HostUnavailableError(role, 'closed').
//
// Every exec channel makes the VM's sshd start the user's login shell, which runs its rc files
// first (a student's `.bashrc` initialising conda or nvm takes 0.1-1 s), and costs the VM a fork
// and a session. Witness reads go to witness channels, never to a command session: `witnessSpares`
// of them are opened at connection time, so that their login shells run concurrently, off the
// critical path, and each serves one read after another (builtins only: no process of a read is
// left behind), a read taking an idle one or, when all are busy, a new one. A read's markers and
// line are sent only when it is due. Likewise a few command sessions are opened at connection
// time, for the commands that run together on a VM.
export class SshConnection<R extends Role | 'jump'> {
  private readonly limit: ChannelLimit;
  private readonly sessions: SessionPool<ShellSession>;
  private readonly witnesses: SessionPool<ShellSession>;
  private readonly lost = new AbortController();
  private lastError: Ssh2Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    readonly role: R,
    /** host:port as written in the inventory. */
    readonly target: string,
    private readonly client: Client,
    maxChannels: number,
    /** The host key it presented in the handshake (`ssh-ed25519 SHA256:...`). */
    readonly hostKey?: string,
    /** Witness channels opened at connection time (see above); 0 opens the first when a read is due. */
    witnessSpares = 0,
    /** Command sessions opened at once, for the commands that will run together (SessionPool.prewarm). */
    prewarmedSessions = 0,
  ) {
    this.limit = new ChannelLimit(maxChannels);
    this.sessions = new SessionPool(() => new ShellSession({ client, role, connectionLost: this.lost.signal }));
    client.setMaxListeners(0);
    client.on('error', (error: Ssh2Error) => (this.lastError = error));
    client.once('close', () => {
      const why = this.closing ? 'was closed by the grader' : `was lost${this.lastError ? `: ${oneLine(this.lastError.message)}` : ''}`;
      this.lost.abort(new HostUnavailableError(role, 'closed', `the SSH connection to ${target} ${why}`));
    });
    this.sessions.prewarm(prewarmedSessions);
    // A witness read never waits for a busy witness channel: it opens its own at once.
    this.witnesses = new SessionPool(() => new ShellSession({ client, role, connectionLost: this.lost.signal, kind: 'witness' }), 0);
    this.witnesses.prewarm(witnessSpares);
  }

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const limits = {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    };
    return this.limit.use(async () => {
      const session = await this.sessions.acquire();
      try {
        return await session.run(command, limits);
      } finally {
        this.sessions.release(session);
      }
    });
  }

  // A witness read (see witnessLine): in a witness channel, never a command session that ran
  // anything else; the channel serves the next read unless this one closed it (its deadline
  // passed, or its output went past the bound: ShellSession closes it then).
  runWitness(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const limits = {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    };
    return this.limit.use(async () => {
      const session = await this.witnesses.acquire();
      try {
        return await session.run(command, limits);
      } finally {
        this.witnesses.release(session);
      }
    });
  }

  // A TCP stream from this host to host:port. Failures are reported for `role`, the host behind.
  tunnel(role: Role | 'jump', host: string, port: number, timeoutMs: number): Promise<Duplex> {
    const where = `${host}:${port} through the jump host ${this.target}`;
    return new Promise((resolve, reject) => {
      if (this.lost.signal.aborted) {
        return reject(new HostUnavailableError(role, 'closed', `cannot reach ${where}: the jump host connection is closed`));
      }
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        reject(new HostUnavailableError(role, 'timeout', `no tunnel to ${where} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const opened = (error: (Error & { reason?: number }) | undefined, stream: Duplex | undefined) => {
        clearTimeout(timer);
        if (late) return stream?.destroy();
        if (!error && stream) return resolve(stream);
        // OpenSSH answers "connect failed" (reason 2) when the jump host cannot reach the VM.
        const failure = this.lost.signal.aborted ? 'closed' : error?.reason === 2 ? 'unreachable' : 'protocol';
        reject(new HostUnavailableError(role, failure, `cannot reach ${where}: ${oneLine(error?.message ?? 'no stream')}`));
      };
      try {
        this.client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => opened(error, stream));
      } catch (error) {
        opened(error as Error, undefined); // ssh2 throws "Not connected" once the socket is gone
      }
    });
  }

  // Ends the connection, idle command sessions first as a shell ends (so that the VM's sshd reaps
  // their `sh` rather than leaving it orphaned); commands still running reject with 'closed'.
  // Safe to call twice.
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.lost.signal.aborted) return;
      await Promise.all([this.sessions.drain(END_WAIT_MS), this.witnesses.drain(END_WAIT_MS)]);
      await new Promise<void>((resolve) => {
        if (this.lost.signal.aborted) return resolve();
        const timer = setTimeout(() => this.client.destroy(), END_WAIT_MS);
        this.client.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        this.client.end();
      });
    })();
    return this.closing;
  }
}
