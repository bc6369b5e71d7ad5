// libvirt on this machine: started by hand when it is not running, and driven through virsh.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from './errors.ts';
import { tryRun, type LocalResult } from '../kit/run.ts';
import { isStopped, parseLeases, parseNames, type LeasedAddress } from './virsh-output.ts';

export const LIBVIRT_URI = 'qemu:///system';
export const QEMU_CONF = '/etc/libvirt/qemu.conf';
export const LIBVIRTD_LOG = '/var/log/libvirt/libvirtd.log';
/** Debian packages a VM lab needs on this machine (besides openssh-client). */
export const LIBVIRT_PACKAGES = [
  'libvirt-daemon',
  'libvirt-daemon-driver-qemu',
  'libvirt-clients',
  'dnsmasq-base',
  'iptables',
  'qemu-system-x86',
];
const REQUIRED_BINARIES: [string, string][] = [
  ['/usr/bin/virsh', 'libvirt-clients'],
  ['/usr/sbin/libvirtd', 'libvirt-daemon'],
  ['/usr/sbin/virtlogd', 'libvirt-daemon'],
  ['/usr/bin/qemu-system-x86_64', 'qemu-system-x86'],
  ['/usr/sbin/dnsmasq', 'dnsmasq-base'],
  ['/usr/sbin/iptables', 'iptables'],
];
const VIRSH_TIMEOUT_SECONDS = 60;

/** Runs `virsh -c qemu:///system ARGS` under a deadline; resolves whatever the exit code. */
export function virsh(args: readonly string[], input?: string): Promise<LocalResult> {
  return tryRun(['timeout', '-k', '5', String(VIRSH_TIMEOUT_SECONDS), 'virsh', '-q', '-c', LIBVIRT_URI, ...args], input);
}

/** Like `virsh`, but a non-zero exit throws a LabError naming the command and virsh's message. */
export async function virshOk(args: readonly string[], input?: string): Promise<LocalResult> {
  const result = await virsh(args, input);
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().replace(/^error: /gm, '').split('\n').join(' / ');
    throw new LabError(`virsh ${args.join(' ')} failed: ${detail || `exit ${result.exitCode}`}`);
  }
  return result;
}

/** The packages whose binaries are missing, in `apt-get install` order. */
export function missingLibvirtPackages(): string[] {
  const missing = REQUIRED_BINARIES.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  // The QEMU driver is a plugin, not a binary.
  if (!existsSync('/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so')) {
    missing.push('libvirt-daemon-driver-qemu');
  }
  return [...new Set(missing)];
}

/**
 * qemu.conf with `user = "root"` and `group = "root"` (QEMU then reads the lab's files under
 * .lab/ and needs no libvirt-qemu user). Other lines are kept. Pure.
 */
export function qemuConfWithRoot(text: string): string {
  let lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const key of ['user', 'group']) {
    const setting = `${key} = "root"`;
    const pattern = new RegExp(`^\\s*${key}\\s*=`);
    if (lines.some((line) => pattern.test(line))) lines = lines.map((line) => (pattern.test(line) ? setting : line));
    else lines.push(setting);
  }
  return `${lines.join('\n')}\n`;
}

async function pidRunning(name: string): Promise<boolean> {
  return (await tryRun(['pgrep', '-x', name])).exitCode === 0;
}

async function libvirtAnswers(): Promise<LocalResult> {
  return tryRun(['timeout', '-k', '2', '10', 'virsh', '-q', '-c', LIBVIRT_URI, 'uri']);
}

async function logTail(): Promise<string> {
  try {
    return (await readFile(LIBVIRTD_LOG, 'utf8')).trim().split('\n').filter((l) => / error : /.test(l)).slice(-2).join(' / ');
  } catch {
    return '';
  }
}

/**
 * Makes sure libvirtd answers on qemu:///system, starting it (and virtlogd) by hand the way a
 * machine without systemd needs: directories, qemu.conf running QEMU as root, the libvirt-qemu
 * user its QEMU driver looks up before it reads qemu.conf. Returns what it did, for the log.
 */
export async function ensureLibvirt(): Promise<string[]> {
  const missing = missingLibvirtPackages();
  if (missing.length > 0) {
    throw new LabError(`libvirt/QEMU missing: apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  if ((await libvirtAnswers()).exitCode === 0) return [];

  const did: string[] = [];
  for (const dir of ['/var/log/libvirt', '/var/run/libvirt', '/var/lib/libvirt', '/etc/libvirt']) {
    await mkdir(dir, { recursive: true });
  }
  const conf = existsSync(QEMU_CONF) ? await readFile(QEMU_CONF, 'utf8') : '';
  const wanted = qemuConfWithRoot(conf);
  if (wanted !== conf) {
    await writeFile(QEMU_CONF, wanted);
    did.push(`set user/group = "root" in ${QEMU_CONF}`);
  }
  // libvirt 9's QEMU driver resolves its compiled-in default user before reading qemu.conf.
  if ((await tryRun(['getent', 'passwd', 'libvirt-qemu'])).exitCode !== 0) {
    const groupExists = (await tryRun(['getent', 'group', 'libvirt-qemu'])).exitCode === 0;
    const result = await tryRun([
      'useradd', '--system', '--no-create-home', '--home-dir', '/var/lib/libvirt', '--shell', '/usr/sbin/nologin',
      ...(groupExists ? ['--gid', 'libvirt-qemu'] : ['--user-group']), 'libvirt-qemu',
    ]);
    // Another `up` may have created it meanwhile.
    if (result.exitCode !== 0 && (await tryRun(['getent', 'passwd', 'libvirt-qemu'])).exitCode !== 0) {
      throw new LabError(`cannot create the libvirt-qemu user: ${result.stderr.trim()}`);
    }
    did.push('created the system user libvirt-qemu');
  }
  // A failed start is reported only if libvirtd then does not answer: another `up` may have won.
  const startProblems: string[] = [];
  if (!(await pidRunning('virtlogd'))) {
    const result = await tryRun(['virtlogd', '-d']);
    if (result.exitCode === 0) did.push('started virtlogd');
    else startProblems.push(`virtlogd -d: ${result.stderr.trim()}`);
  }
  if (!(await pidRunning('libvirtd'))) {
    const result = await tryRun(['env', `LIBVIRT_LOG_OUTPUTS=3:file:${LIBVIRTD_LOG}`, 'libvirtd', '-d']);
    if (result.exitCode === 0) did.push('started libvirtd');
    else startProblems.push(`libvirtd -d: ${result.stderr.trim()}`);
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await libvirtAnswers();
    if (answer.exitCode === 0) return did;
    if (Date.now() > deadline) {
      const tail = await logTail();
      const why = [answer.stderr.trim().split('\n').pop() ?? '', ...startProblems, tail ? `${LIBVIRTD_LOG}: ${tail}` : '']
        .filter((part) => part !== '')
        .join('; ');
      throw new LabError(`libvirtd does not answer on ${LIBVIRT_URI}: ${why}`);
    }
    await sleep(500);
  }
}

/** The UUID of the domain `name`, or undefined when there is none. */
export async function domainUuid(name: string): Promise<string | undefined> {
  const result = await virsh(['domuuid', name]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export async function networkUuid(name: string): Promise<string | undefined> {
  const result = await virsh(['net-uuid', name]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export async function domainState(name: string): Promise<string> {
  return (await virshOk(['domstate', name])).stdout.trim();
}

export async function domainStopped(name: string): Promise<boolean> {
  return isStopped(await domainState(name));
}

/** IPv4 leases of the domain's NICs (from the networks' dnsmasq), by MAC. */
export async function domainLeases(name: string): Promise<LeasedAddress[]> {
  const result = await virsh(['domifaddr', name, '--source', 'lease']);
  return result.exitCode === 0 ? parseLeases(result.stdout) : [];
}

/** `virsh net-define XML` then `net-start`. */
export async function defineAndStartNetwork(name: string, xmlPath: string): Promise<void> {
  await virshOk(['net-define', xmlPath]);
  await virshOk(['net-start', name]);
}

/** `virsh define XML` then `start`. */
export async function defineAndStartDomain(name: string, xmlPath: string): Promise<void> {
  await virshOk(['define', xmlPath]);
  await virshOk(['start', name]);
}

/**
 * Stops and undefines the domain `name` if (and only if) its UUID is `uuid`. Returns a problem,
 * or undefined when it is gone (or was never there).
 */
export async function removeDomain(name: string, uuid: string): Promise<string | undefined> {
  const found = await domainUuid(name);
  if (found === undefined) return undefined;
  if (found !== uuid) return `domain ${name} has UUID ${found}, not the lab's ${uuid}: left alone`;
  if (!(await domainStopped(name).catch(() => true))) await virsh(['destroy', name]);
  const result = await virsh(['undefine', name]);
  if (result.exitCode !== 0 && (await domainUuid(name)) !== undefined) {
    return `virsh undefine ${name}: ${result.stderr.trim()}`;
  }
  return undefined;
}

export async function removeNetwork(name: string, uuid: string): Promise<string | undefined> {
  const found = await networkUuid(name);
  if (found === undefined) return undefined;
  if (found !== uuid) return `network ${name} has UUID ${found}, not the lab's ${uuid}: left alone`;
  const info = await virsh(['net-info', name]);
  if (/^Active:\s+yes/m.test(info.stdout)) await virsh(['net-destroy', name]);
  const result = await virsh(['net-undefine', name]);
  if (result.exitCode !== 0 && (await networkUuid(name)) !== undefined) {
    return `virsh net-undefine ${name}: ${result.stderr.trim()}`;
  }
  return undefined;
}

/** Names of every domain and every network libvirt knows (defined or running). */
export async function libvirtNames(): Promise<{ domains: string[]; networks: string[] }> {
  const [domains, networks] = await Promise.all([
    virshOk(['list', '--all', '--name']),
    virshOk(['net-list', '--all', '--name']),
  ]);
  return { domains: parseNames(domains.stdout), networks: parseNames(networks.stdout) };
}
