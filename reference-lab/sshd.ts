// One real OpenSSH sshd per VM namespace: its config (pure), host key, start and wait.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SshdPlan } from './plan.ts';
import { LabError } from './errors.ts';
import { run, tryRun } from './run.ts';

// sshd_config splits arguments on spaces unless double-quoted.
const arg = (path: string): string => (/\s/.test(path) ? `"${path}"` : path);

export function sshdConfig(sshd: SshdPlan, authorizedKeysPath: string): string {
  return [
    `# reference lab: ${sshd.role} in namespace ${sshd.namespace} (generated; removed by lab down)`,
    `ListenAddress ${sshd.listenAddress}:22`,
    'AddressFamily inet',
    `HostKey ${arg(sshd.hostKeyPath)}`,
    `PidFile ${arg(sshd.pidPath)}`,
    `AuthorizedKeysFile ${arg(authorizedKeysPath)}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // Keys live in a world-readable checkout, not in ~/.ssh.
    'StrictModes no',
    'PrintMotd no',
    'UseDNS no',
    'LogLevel VERBOSE',
    // A grader opens a few connections at once; keep sshd from dropping them as a flood.
    'MaxStartups 50:30:100',
    '',
  ].join('\n');
}

/**
 * The command that starts sshd inside the VM namespace, in its own UTS namespace (hostname `vm1`...)
 * and mount namespace. For `no-iperf`, /usr/bin is overlaid (read-only) with a whiteout for
 * iperf3, so `iperf3` is "command not found" there and nowhere else.
 */
export function sshdStartArgv(sshd: SshdPlan, sshdPath: string): string[] {
  const script = [
    'hostname "$1" || exit 1',
    'if [ -n "$5" ]; then mount -t overlay rlg-no-iperf -o "lowerdir=$5:/usr/bin" /usr/bin || exit 1; fi',
    'exec "$2" -f "$3" -E "$4"',
  ].join('; ');
  return [
    'ip', 'netns', 'exec', sshd.namespace,
    'unshare', '--uts', '--mount', '--propagation', 'private', '--',
    'sh', '-c', script, 'sh', sshd.hostname, sshdPath, sshd.configPath, sshd.logPath, sshd.hideIperfDir ?? '',
  ];
}

/** sshd's absolute path (it re-executes itself), after making sure /run/sshd exists. */
export async function findSshd(): Promise<string> {
  const path = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((candidate) => existsSync(candidate));
  if (!path) throw new LabError('sshd not found: install openssh-server (apt-get install -y openssh-server)');
  // Its privilege separation directory; the openssh-server service would create it at boot.
  await mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  return path;
}

export const PRIVSEP_DIR = '/run/sshd';

/** Generates an ed25519 key pair without passphrase at `path` (and `path.pub`). */
export async function generateKey(path: string, comment: string): Promise<void> {
  await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

/** `ssh-ed25519 AAAA...` (without the comment) from a `.pub` file. */
export async function publicKeyOf(pubPath: string): Promise<string> {
  const [type, key] = (await readFile(pubPath, 'utf8')).trim().split(/\s+/);
  if (!type || !key) throw new LabError(`${pubPath} is not an OpenSSH public key`);
  return `${type} ${key}`;
}

export async function prepareHideIperf(dir: string): Promise<void> {
  if (/[:,\s]/.test(dir)) throw new LabError(`no-iperf needs a state dir path without ':', ',' or spaces: ${dir}`);
  await mkdir(dir, { recursive: true });
  // An overlayfs whiteout: a character device 0:0 named like the file it hides.
  await run(['mknod', `${dir}/iperf3`, 'c', '0', '0']);
}

async function readPid(pidPath: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(pidPath, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function logTail(logPath: string): Promise<string> {
  try {
    return (await readFile(logPath, 'utf8')).trim().split('\n').slice(-2).join(' / ');
  } catch {
    return '';
  }
}

/** Starts sshd and waits until it wrote its pid file (sshd writes it after binding port 22). */
export async function startSshd(sshd: SshdPlan, sshdPath: string, timeoutMs = 20_000): Promise<number> {
  const started = await tryRun(sshdStartArgv(sshd, sshdPath));
  if (started.exitCode !== 0) {
    const why = (await logTail(sshd.logPath)) || started.stderr.trim() || `exit ${started.exitCode}`;
    throw new LabError(`sshd of ${sshd.role} did not start (${sshd.namespace}): ${why}`);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pid = await readPid(sshd.pidPath);
    if (pid !== undefined && alive(pid)) return pid;
    await sleep(50);
  }
  const tail = await logTail(sshd.logPath);
  throw new LabError(`sshd of ${sshd.role} did not start within ${timeoutMs / 1000} s${tail ? `: ${tail}` : ''}`);
}

/** SIGTERM to the sshd named by the pid file, if that pid is still this lab's sshd. */
export async function stopSshd(sshd: SshdPlan): Promise<void> {
  const pid = await readPid(sshd.pidPath);
  if (pid === undefined || !alive(pid)) return;
  let cmdline = '';
  try {
    cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
  } catch {
    return;
  }
  if (!cmdline.includes(sshd.configPath)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // gone meanwhile
  }
}
