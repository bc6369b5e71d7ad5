// A Debian guest's per-VM files (copy-on-write overlay, first-boot seed) and the student's SSH
// session: `student` with the lab's password, the host key the lab generated, never root.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, copyFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import type { RemoteHost } from '../../grader/transport/remote-host.ts';
import { quote } from '../../grader/transport/shell-quote.ts';
import { connectHost } from '../../grader/transport/ssh-host.ts';
import { run } from '../kit/run.ts';
import { LabAbortedError, LabError } from './errors.ts';
import { STUDENT_USER, type VmLabPlan, type VmRole } from './plan.ts';

/** A password of 24 URL-safe characters (144 bits), for the lab's `student` accounts. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** `qemu-img create -f qcow2 -b BASE -F qcow2 OVERLAY`: the VM writes only its own overlay. */
export async function createOverlay(base: string, overlay: string): Promise<void> {
  await run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', overlay]);
}

/**
 * Writes the VM's OpenSSH host key (`hostKey`, `hostKey.pub`) and its seed: a tar archive the
 * first-boot unit reads from the read-only disk with serial `vmlab-seed`. Returns the public key.
 */
export async function writeSeed(plan: VmLabPlan, role: VmRole, password: string): Promise<string> {
  const vm = plan.vms[role];
  await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `root@${vm.hostname}`, '-f', vm.hostKey]);
  const publicKey = (await readFile(`${vm.hostKey}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
  const dir = await mkdtemp(join(vm.dir, '.seed-'));
  try {
    await chmod(dir, 0o700);
    await writeFile(join(dir, 'hostname'), `${vm.hostname}\n`);
    await writeFile(join(dir, 'student-password'), password, { mode: 0o600 });
    await writeFile(join(dir, 'management-mac'), `${vm.nics.find((n) => n.network === 'management')!.mac}\n`);
    await copyFile(vm.hostKey, join(dir, 'ssh_host_ed25519_key'));
    await copyFile(`${vm.hostKey}.pub`, join(dir, 'ssh_host_ed25519_key.pub'));
    await run(['tar', '-cf', vm.seed, '--owner=0', '--group=0', '-C', dir, '.']);
    await chmod(vm.seed, 0o600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return publicKey;
}

export interface StudentLogin {
  address: string;
  password: string;
  knownHostsPath: string;
}

/** One SSH connection as `student` with the password (the grader's own transport, strict host keys). */
export async function connectStudent(role: VmRole, login: StudentLogin): Promise<RemoteHost> {
  return connectHost({
    role,
    endpoint: { host: login.address, port: 22, user: STUDENT_USER },
    credentials: { password: login.password },
    knownHosts: await KnownHosts.load(login.knownHostsPath),
    hostKeyPolicy: 'strict',
    readyTimeoutMs: 20_000,
  });
}

/** Retries connectStudent until it logs in (sshd starts late in a systemd boot under TCG). */
export async function waitForStudent(role: VmRole, login: StudentLogin, deadline: number, what: string, signal?: AbortSignal): Promise<RemoteHost> {
  let last = '';
  for (;;) {
    if (signal?.aborted) throw new LabAbortedError(`${what}: interrupted`);
    try {
      return await connectStudent(role, login);
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new LabError(`${what}: no SSH login as ${STUDENT_USER} on ${login.address}:22 in time (last: ${last})`);
    await sleep(2000);
  }
}

/**
 * The command line run for a student step: `sudo X` reads the password from stdin (`sudo -S`), as
 * a student types it at sudo's prompt. Only `command` is ever logged, never this line.
 */
export function withSudoPassword(command: string, password: string): string {
  return command.startsWith('sudo ') ? `printf '%s\\n' ${quote(password)} | sudo -S -p '' ${command.slice(5)}` : command;
}

/** Runs a student step; a non-zero exit throws a LabError naming the VM, the command and its output. */
export async function studentRun(host: RemoteHost, command: string, password: string, what: string, timeoutMs = 90_000): Promise<string> {
  const result = await host.run(withSudoPassword(command, password), { timeoutMs });
  if (result.exitCode !== 0) {
    const detail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-2).join(' / ');
    throw new LabError(`${what}: \`${command}\` failed (exit ${result.exitCode ?? 'none'})${detail ? `: ${detail}` : ''}`);
  }
  return `${result.stdout}${result.stderr}`;
}

/** `NAME MAC` lines of every NIC in /sys/class/net, parsed to MAC -> name. Pure. */
export function parseNicNames(output: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^(\S+)\s+([0-9a-f]{2}(?::[0-9a-f]{2}){5})\s*$/i.exec(line.trim());
    if (match && match[1] !== 'lo') names[match[2]!.toLowerCase()] = match[1]!;
  }
  return names;
}

export const NIC_NAMES_COMMAND = 'for d in /sys/class/net/*; do echo "${d##*/} $(cat "$d/address")"; done';
