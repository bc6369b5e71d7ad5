import type { Role } from '../core/roles.ts';
import { HostUnavailableError } from './remote-host.ts';

// ssh2 tags its errors with a `level` (client-socket, client-timeout, client-authentication,
// protocol, handshake, agent...) and socket errors with a Node `code`.
export type Ssh2Error = Error & { level?: string; code?: string | number };

// How far a connection attempt got: the TCP connection, the SSH handshake (banner, key
// exchange, host key), or authentication.
type ConnectPhase = 'tcp' | 'handshake' | 'auth';

export interface ConnectAttempt {
  role: Role | 'jump';
  /** user@host:port, plus " (through the jump host ...)" when tunnelled. */
  target: string;
  phase: ConnectPhase;
  timeoutMs: number;
  /** describeAuthMethods() of the credentials offered. */
  tried: string;
  /** Why the host key was refused, when it was. */
  hostKeyRefusal?: string;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host is down',
  ENOTFOUND: 'unknown host name',
  EAI_AGAIN: 'host name lookup failed',
  EADDRNOTAVAIL: 'address not available',
};

const PHASE_WAIT: Record<ConnectPhase, string> = {
  tcp: 'no TCP connection',
  handshake: 'connected, but no SSH handshake',
  auth: 'SSH handshake done, but authentication did not finish',
};

// The one-line reason a connection attempt failed. Messages never contain credentials: ssh2's
// own texts are used only for socket and protocol errors, which carry none.
export function connectFailure(attempt: ConnectAttempt, error: Ssh2Error | undefined): HostUnavailableError {
  const { role, target } = attempt;
  if (attempt.hostKeyRefusal !== undefined) return new HostUnavailableError(role, 'host-key', attempt.hostKeyRefusal);
  const code = typeof error?.code === 'string' ? error.code : undefined;
  if (code !== undefined && code in UNREACHABLE) {
    return new HostUnavailableError(role, 'unreachable', `cannot reach ${target}: ${UNREACHABLE[code]} (${code})`);
  }
  if (error?.level === 'client-timeout' || code === 'ETIMEDOUT') {
    const seconds = Math.round(attempt.timeoutMs / 100) / 10;
    return new HostUnavailableError(role, 'timeout', `${PHASE_WAIT[attempt.phase]} with ${target} within ${seconds} s`);
  }
  if (error && /too many authentication failures/i.test(error.message)) {
    return new HostUnavailableError(
      role,
      'auth',
      `authentication refused for ${target}: too many authentication failures (the server's MaxAuthTries, 6 by default, counts every key offered; tried: ${attempt.tried}). ` +
        'Offer one key: name it with GRADER_SSH_KEY (or the lab\'s credentials.keyFile) and run the grader without SSH_AUTH_SOCK, or load only that key into the agent',
      attempt.tried,
    );
  }
  if (error?.level === 'client-authentication' || attempt.phase === 'auth') {
    return new HostUnavailableError(role, 'auth', `authentication refused for ${target} (tried: ${attempt.tried})`, attempt.tried);
  }
  const detail = error ? oneLine(error.message) : 'the server closed the connection';
  const during = attempt.phase === 'tcp' ? 'TCP connection' : 'SSH handshake';
  return new HostUnavailableError(role, 'protocol', `SSH connection to ${target} failed during the ${during}: ${detail}`);
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
