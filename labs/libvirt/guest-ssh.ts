// Commands inside a lab VM over SSH (OpenSSH client, the lab's key and known_hosts only).
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabAbortedError, LabError } from './errors.ts';

export interface GuestTarget {
  address: string;
  keyPath: string;
  knownHostsPath: string;
}

export interface GuestResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function sshArgv(target: GuestTarget, command: string, connectTimeoutSeconds = 5): string[] {
  return [
    '-F', '/dev/null',
    '-i', target.keyPath,
    '-o', `UserKnownHostsFile=${target.knownHostsPath}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', `ConnectTimeout=${connectTimeoutSeconds}`,
    '-o', 'LogLevel=ERROR',
    `root@${target.address}`,
    command,
  ];
}

/** Runs `command` (a POSIX sh line) on the guest; a non-zero exit is data, not an error. */
export function sshRun(target: GuestTarget, command: string, timeoutMs = 60_000): Promise<GuestResult> {
  return new Promise((resolve) => {
    execFile('ssh', sshArgv(target, command), { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** Like sshRun, but a non-zero exit throws a LabError naming the VM, the command and its stderr. */
export async function sshOk(target: GuestTarget, command: string, what: string): Promise<GuestResult> {
  const result = await sshRun(target, command);
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' / ');
    throw new LabError(`${what}: \`${command}\` failed (exit ${result.exitCode ?? 'none'})${detail ? `: ${detail}` : ''}`);
  }
  return result;
}

/** Polls until `ssh true` succeeds; throws the last ssh error at the deadline. */
export async function waitForSsh(target: GuestTarget, deadline: number, what: string, signal?: AbortSignal): Promise<void> {
  let last = '';
  for (;;) {
    if (signal?.aborted) throw new LabAbortedError(`${what}: interrupted`);
    const result = await sshRun(target, 'true', 15_000);
    if (result.exitCode === 0) return;
    last = result.stderr.trim().split('\n').pop() ?? `exit ${result.exitCode}`;
    if (Date.now() > deadline) throw new LabError(`${what}: no SSH on ${target.address}:22 in time (last: ${last})`);
    await sleep(1000);
  }
}
