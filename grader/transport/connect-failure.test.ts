import { describe, expect, it } from 'vitest';
import { connectFailure, type ConnectAttempt, type Ssh2Error } from './connect-failure.ts';

const attempt: ConnectAttempt = { role: 'vm1', target: 'student@10.0.0.5:22', phase: 'tcp', timeoutMs: 10_000, tried: 'publickey, password' };
const error = (message: string, fields: Partial<Ssh2Error>): Ssh2Error => Object.assign(new Error(message), fields);

describe('connectFailure', () => {
  it.each([
    [
      'refused',
      attempt,
      error('connect ECONNREFUSED 10.0.0.5:22', { level: 'client-socket', code: 'ECONNREFUSED' }),
      'unreachable',
      'cannot reach student@10.0.0.5:22: connection refused (ECONNREFUSED)',
    ],
    [
      'no route',
      attempt,
      error('connect EHOSTUNREACH', { level: 'client-socket', code: 'EHOSTUNREACH' }),
      'unreachable',
      'cannot reach student@10.0.0.5:22: no route to host (EHOSTUNREACH)',
    ],
    [
      'unknown name',
      attempt,
      error('getaddrinfo ENOTFOUND vm1', { level: 'client-socket', code: 'ENOTFOUND' }),
      'unreachable',
      'cannot reach student@10.0.0.5:22: unknown host name (ENOTFOUND)',
    ],
    [
      'no TCP',
      attempt,
      error('Timed out while waiting for handshake', { level: 'client-timeout' }),
      'timeout',
      'no TCP connection with student@10.0.0.5:22 within 10 s',
    ],
    [
      'no banner',
      { ...attempt, phase: 'handshake', timeoutMs: 1500 },
      error('Timed out while waiting for handshake', { level: 'client-timeout' }),
      'timeout',
      'connected, but no SSH handshake with student@10.0.0.5:22 within 1.5 s',
    ],
    [
      'auth refused',
      { ...attempt, phase: 'auth' },
      error('All configured authentication methods failed', { level: 'client-authentication' }),
      'auth',
      'authentication refused for student@10.0.0.5:22 (tried: publickey, password)',
    ],
    [
      'dropped during auth',
      { ...attempt, phase: 'auth' },
      undefined,
      'auth',
      'authentication refused for student@10.0.0.5:22 (tried: publickey, password)',
    ],
    [
      'bad banner',
      { ...attempt, phase: 'handshake' },
      error('Protocol\nmismatch', { level: 'protocol' }),
      'protocol',
      'SSH connection to student@10.0.0.5:22 failed during the SSH handshake: Protocol mismatch',
    ],
    [
      'closed before banner',
      { ...attempt, phase: 'handshake' },
      undefined,
      'protocol',
      'SSH connection to student@10.0.0.5:22 failed during the SSH handshake: the server closed the connection',
    ],
  ] as const)('%s', (_, a, e, failure, message) => {
    const result = connectFailure(a, e);
    expect(result).toMatchObject({ name: 'HostUnavailableError', role: 'vm1', failure, message });
  });

  it("sshd's MaxAuthTries: says so and how to offer one key", () => {
    const result = connectFailure({ ...attempt, phase: 'auth' }, error('Too many authentication failures', { level: 'protocol' }));
    expect(result).toMatchObject({ failure: 'auth' });
    expect(result.message).toMatch(/^authentication refused for student@10\.0\.0\.5:22: too many authentication failures \(the server's MaxAuthTries.*tried: publickey, password\)\. Offer one key: name it with GRADER_SSH_KEY/);
  });

  it('a refused login says what was offered, as data for the diagnosis (login-refused)', () => {
    const refused = connectFailure({ ...attempt, phase: 'auth' }, error('All configured authentication methods failed', { level: 'client-authentication' }));
    expect(refused).toMatchObject({ failure: 'auth', offered: 'publickey, password' });
    const tooMany = connectFailure({ ...attempt, phase: 'auth' }, error('Too many authentication failures', { level: 'protocol' }));
    expect(tooMany).toMatchObject({ failure: 'auth', offered: 'publickey, password' });
    expect(connectFailure(attempt, error('connect ECONNREFUSED', { code: 'ECONNREFUSED' })).offered).toBeUndefined();
  });

  it('reports a refused host key above any ssh2 error', () => {
    const refused = { ...attempt, phase: 'handshake', hostKeyRefusal: 'host key of 10.0.0.5:22 has changed: ...' } as const;
    const result = connectFailure(refused, error('Host denied (verification failed)', { level: 'handshake' }));
    expect(result).toMatchObject({ failure: 'host-key', message: 'host key of 10.0.0.5:22 has changed: ...' });
  });
});
