import { describe, expect, it } from 'vitest';
import { requireCompleted } from '../core/command-output.ts';
import type { LabReport } from '../core/lab-report.ts';
import { connectFailure } from '../transport/connect-failure.ts';
import { graderSideErrors } from './grader-side-errors.ts';

function reportWith(hostError: string | undefined, resultMessage: string): LabReport {
  return {
    lab: 'lab1',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    score: 0,
    maxScore: 1,
    summary: { pass: 0, fail: 0, error: 1, total: 1 },
    hosts: [{ role: 'vm1', target: 'u@h', reachable: hostError === undefined, ...(hostError ? { error: hostError } : {}) }],
    results: [{ id: 'ping', kind: 'ping', host: 'vm1', title: 't', status: 'error', points: 0, maxPoints: 1, message: resultMessage, evidence: [], measurements: {}, durationMs: 1 }],
  };
}

const attempt = { role: 'vm1' as const, target: 'student@10.0.0.1:22', timeoutMs: 10_000, tried: 'publickey' };

describe("errors of the grader's side", () => {
  it('are a connect timeout, a lost connection, a command deadline, in the words the grader writes them', () => {
    const timeout = connectFailure({ ...attempt, phase: 'handshake' }, Object.assign(new Error('Timed out'), { level: 'client-timeout' })).message;
    expect(graderSideErrors(reportWith(timeout, `VM1 could not be graded: ${timeout}`))).toHaveLength(2);
    expect(graderSideErrors(reportWith(undefined, 'lost the connection to vm1: the SSH connection to 10.0.0.1:22 was lost'))).toHaveLength(1);
    let deadline = '';
    try {
      requireCompleted('vm1', { command: 'ping -c 5 x', stdout: '', stderr: '', exitCode: null, signal: null, timedOut: true, truncated: false, durationMs: 20_000 } as never);
    } catch (error) {
      deadline = (error as Error).message;
    }
    expect(graderSideErrors(reportWith(undefined, deadline))).toEqual([`ping vm1: ${deadline}`]);
  });

  it('are not a refused login, a refused host key, or a network that does not answer', () => {
    const auth = connectFailure({ ...attempt, phase: 'auth' }, Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' })).message;
    const refused = connectFailure({ ...attempt, phase: 'tcp' }, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).message;
    expect(graderSideErrors(reportWith(auth, auth))).toEqual([]);
    expect(graderSideErrors(reportWith(refused, refused))).toEqual([]);
    expect(graderSideErrors(reportWith(undefined, 'could not read the output of `ip -j addr` on vm1: bad JSON'))).toEqual([]);
  });
});
