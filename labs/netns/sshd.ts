// One real OpenSSH sshd per VM namespace: its config (pure), host key, start and wait.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mountedOverlays } from './overlays.ts';
import { BASHRC_HOOK_FILE } from './bashrc-kit.ts';
import type { BinOverlay, SshdPlan } from './plan.ts';
import { LabError } from '../kit/errors.ts';
import { run, tryRun } from '../kit/run.ts';

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
    // A student's dhclient keeps its lease and pid in the VM's own folder, as on a VM of its own.
    `SetEnv ${arg(`PATH_DHCLIENT_DB=${sshd.dhclientLeasePath}`)} ${arg(`PATH_DHCLIENT_PID=${sshd.dhclientPidPath}`)}`,
    '',
  ].join('\n');
}

/**
 * The command that starts sshd inside the VM namespace, in its own UTS namespace (hostname `vm1`...)
 * and mount namespace. Each of the plan's overlays is mounted there (read-only, its layer above the
 * real directory): `no-iperf` hides vm3's iperf3 with a whiteout, the `fake-*` variants replace
 * vm1's tools with scripts. The machine's own /usr/bin and /usr/sbin are never touched.
 * Each VM sees its own /etc/machine-id (`machine-id` beside its sshd_config, bind-mounted there),
 * and has its own host key, as separately installed VMs do.
 * Root gets a home of its own (a tmpfs with Debian's default dotfiles), as on a fresh VM: the
 * machine's own root dotfiles (a `pyenv init`, say, costing every SSH command 0.1 s) stay out.
 */
export function sshdStartArgv(sshd: SshdPlan, sshdPath: string): string[] {
  const script = [
    'hostname "$1" || exit 1',
    `mount -t tmpfs -o mode=0700 rlg-home ${VM_HOME} || exit 1`,
    `for f in bashrc profile; do if [ -f /usr/share/base-files/dot.$f ]; then cp /usr/share/base-files/dot.$f ${VM_HOME}/.$f; fi; done`,
    'sshd=$2 config=$3 log=$4',
    // The bashrc-hook kit's line, atop the VM's ~/.bashrc.
    ...(sshd.overlays.some((o) => o.entries.some((e) => e.name === BASHRC_HOOK_FILE))
      ? [`cat "\${config%/*}/bashrc-kit/${BASHRC_HOOK_FILE}" ${VM_HOME}/.bashrc > ${VM_HOME}/.bashrc.kit && mv ${VM_HOME}/.bashrc.kit ${VM_HOME}/.bashrc || exit 1`]
      : []),
    // A machine-id of its own (beside its config), as every installed VM has: only a deliberate copy shares one.
    'mid="${config%/*}/machine-id"; if [ -f "$mid" ] && [ -e /etc/machine-id ]; then mount --bind "$mid" /etc/machine-id || exit 1; fi',
    // A student's bind mount over ip_forward (`bind-ip-forward`): reading it says what the file holds.
    ...(sshd.ipForwardShows ? [`f="\${config%/*}/ip_forward-shown"; printf '%s\\n' ${sshd.ipForwardShows} > "$f" && mount --bind "$f" /proc/sys/net/ipv4/ip_forward || exit 1`] : []),
    'shift 4',
    // The rest: (layer, directory) pairs.
    'while [ $# -ge 2 ]; do mount -t overlay rlg-overlay -o "lowerdir=$1:$2" "$2" || exit 1; shift 2; done',
    'exec "$sshd" -f "$config" -E "$log"',
  ].join('; ');
  return [
    'ip', 'netns', 'exec', sshd.namespace,
    'unshare', '--uts', '--mount', '--propagation', 'private', '--',
    'sh', '-c', script, 'sh', sshd.hostname, sshdPath, sshd.configPath, sshd.logPath,
    ...mountedOverlays(sshd).flatMap((overlay) => [overlay.dir, overlay.target]),
  ];
}

/** The home directory of the VMs' user (root), private to each VM. */
export const VM_HOME = '/root';

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

/** Writes each overlay's layer: whiteouts and executable scripts. */
export async function prepareOverlays(overlays: readonly BinOverlay[]): Promise<void> {
  for (const overlay of overlays) {
    if (/[:,\s]/.test(overlay.dir)) {
      throw new LabError(`this variant needs a state dir path without ':', ',' or spaces: ${overlay.dir}`);
    }
    await mkdir(overlay.dir, { recursive: true });
    for (const entry of overlay.entries) {
      const path = join(overlay.dir, entry.name);
      // An overlayfs whiteout is a character device 0:0 named like the file it hides.
      if ('whiteout' in entry) await run(['mknod', path, 'c', '0', '0']);
      else await writeFile(path, entry.script, { mode: 0o755 });
    }
  }
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
