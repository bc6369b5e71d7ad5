import type { Client, ClientChannel } from 'ssh2';
import type { Role } from '../lab/roles.ts';
import { isTimeoutStatus, newMarker, OutputCollector, wrapCommand, KILL_AFTER_SECONDS } from './command-wrapper.ts';
import { HostUnavailableError, type CommandResult } from './remote-host.ts';

export interface ExecContext {
  client: Client;
  role: Role | 'jump';
  /** Aborted, with a HostUnavailableError as reason, when the connection is gone. */
  connectionLost: AbortSignal;
}

// How long past the remote deadline (and its KILL) the client waits before closing the channel
// itself, and how long it then waits for the server to confirm the close.
const CLIENT_GRACE_MS = 1_000;
const CLOSE_WAIT_MS = 2_000;

// Runs one wrapped command on one exec channel. Resolves with whatever the command did; rejects
// only with a HostUnavailableError (connection lost, or the server refused a channel).
export function execOnChannel(
  { client, role, connectionLost }: ExecContext,
  command: string,
  { timeoutMs, maxOutputBytes }: { timeoutMs: number; maxOutputBytes: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    if (connectionLost.aborted) return reject(connectionLost.reason);
    const started = performance.now();
    const marker = newMarker();
    const stdout = new OutputCollector(marker, maxOutputBytes);
    const stderr = new OutputCollector(marker, maxOutputBytes);
    const timeoutSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    let channel: ClientChannel | undefined;
    let exit: { code: number | null; signal?: string } | undefined;
    let clientDeadlinePassed = false;
    let closing = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      connectionLost.removeEventListener('abort', onLost);
      outcome();
    };
    const onLost = () => settle(() => reject(connectionLost.reason));
    connectionLost.addEventListener('abort', onLost, { once: true });

    const finish = () =>
      settle(() => {
        const durationMs = Math.round(performance.now() - started);
        const remoteTimedOut = durationMs >= timeoutMs && isTimeoutStatus(exit?.code ?? null, exit?.signal);
        const timedOut = clientDeadlinePassed || remoteTimedOut;
        resolve({
          command,
          exitCode: timedOut ? null : (exit?.code ?? null),
          ...(exit?.signal !== undefined && !timedOut ? { signal: exit.signal } : {}),
          stdout: stdout.text(),
          stderr: stderr.text(),
          timedOut,
          truncated: stdout.truncated || stderr.truncated,
          durationMs,
        });
      });

    const closeChannel = () => {
      if (closing) return;
      closing = true;
      channel?.close();
      timers.push(setTimeout(finish, CLOSE_WAIT_MS)); // a server that never confirms the close
    };
    timers.push(
      setTimeout(
        () => {
          clientDeadlinePassed = true;
          closeChannel();
        },
        (timeoutSeconds + KILL_AFTER_SECONDS) * 1000 + CLIENT_GRACE_MS,
      ),
    );

    try {
      client.exec(wrapCommand(command, marker, timeoutSeconds), (error, stream) => {
        if (connectionLost.aborted) return onLost();
        if (settled) return stream?.close(); // opened only after the deadline gave up on it
        if (error) {
          return settle(() => reject(new HostUnavailableError(role, 'protocol', `the server refused a command channel: ${error.message}`)));
        }
        channel = stream;
        const onExit = (code: number | null | undefined, signal?: string) => {
          exit ??= code === undefined ? undefined : { code, ...(signal ? { signal } : {}) };
        };
        stream.on('exit', onExit);
        stream.on('close', (code?: number | null, signal?: string) => {
          onExit(code, signal);
          finish();
        });
        // Both streams are always read: ssh2 emits 'close' only once both have ended.
        stream.on('data', (chunk: Buffer) => stdout.push(chunk) || closeChannel());
        stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk) || closeChannel());
        stream.end(); // EOF on stdin: a command that reads it must not wait for the deadline
      });
    } catch (error) {
      settle(() => reject(new HostUnavailableError(role, 'closed', `cannot run a command: ${(error as Error).message}`)));
    }
  });
}
