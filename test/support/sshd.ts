import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fingerprintSha256 } from '../../grader/transport/known-hosts.ts';

const run = promisify(execFile);

// A login account of the test server: uid 0 (tests run as root), its own home, shell and rc files.
// Accounts live in a private copy of /etc/passwd and /etc/shadow that only this sshd sees (it runs
// in its own mount namespace), so the machine's accounts are never touched.
export interface LoginUser {
  name: string;
  shell: string;
  /** Files created in the home directory: relative path -> content. */
  files?: Record<string, string>;
  password?: string;
}

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  hostKeyType: string;
  hostKeyBlob: Buffer;
  fingerprint: string;
  /** Private key (OpenSSH format) in authorized_keys for every user. */
  clientKey: Buffer;
  authorizedKeysPath: string;
  dir: string;
  stop(): Promise<void>;
}

export const RC_NOISE = { stdout: 'rc-file noise on stdout', stderr: 'rc-file noise on stderr' };

// The file each shell reads even when sshd runs it non-interactively with -c.
const RC_FILES: Record<string, string> = { bash: '.bashrc', zsh: '.zshenv', fish: '.config/fish/config.fish' };

export function shellPath(shell: string): string | undefined {
  return ['/bin', '/usr/bin'].map((dir) => join(dir, shell)).find((path) => existsSync(path));
}

// A user whose login shell prints RC_NOISE on both streams before running any command.
export function noisyUser(shell: 'bash' | 'zsh' | 'fish'): LoginUser {
  const noise = `echo '${RC_NOISE.stdout}'\necho '${RC_NOISE.stderr}' >&2\n`;
  return { name: `noisy-${shell}`, shell: shellPath(shell) ?? `/bin/${shell}`, files: { [RC_FILES[shell]!]: noise } };
}

const running = new Set<{ process: ChildProcess; dir: string }>();
process.once('exit', () => {
  for (const server of running) {
    killTree(server.process.pid, 'SIGKILL');
    rmSync(server.dir, { recursive: true, force: true });
  }
});

// Starts /usr/sbin/sshd on 127.0.0.1 at a free port with its own host key and authorized_keys.
export async function startSshd(options: { users?: LoginUser[] } = {}): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'grader-sshd-'));
  try {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', join(dir, 'host_ed25519')]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', join(dir, 'client_ed25519')]);
    await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_ed25519.pub')));
    await writeAccounts(dir, options.users ?? []);
    const [hostKeyType = '', hostKeyBase64 = ''] = (await readFile(join(dir, 'host_ed25519.pub'), 'utf8')).split(' ');
    const hostKeyBlob = Buffer.from(hostKeyBase64, 'base64');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      await writeFile(join(dir, 'sshd_config'), sshdConfig(dir, port));
      try {
        const child = await launch(dir);
        const server = { process: child, dir };
        running.add(server);
        return {
          host: '127.0.0.1', port, hostKeyType, hostKeyBlob, fingerprint: fingerprintSha256(hostKeyBlob),
          clientKey: await readFile(join(dir, 'client_ed25519')),
          authorizedKeysPath: join(dir, 'authorized_keys'), dir,
          stop: async () => {
            running.delete(server);
            killTree(child.pid, 'SIGTERM');
            if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
            rmSync(dir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        if (attempt >= 3 || !/Address already in use/.test(String(error))) throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function sshdConfig(dir: string, port: number): string {
  return [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no', 'PermitRootLogin yes', 'UsePAM no', 'PidFile none',
    'PasswordAuthentication yes', 'KbdInteractiveAuthentication no', 'PrintMotd no', 'PrintLastLog no',
    'AllowTcpForwarding yes', 'MaxSessions 10', 'LogLevel VERBOSE', '',
  ].join('\n');
}

async function writeAccounts(dir: string, users: LoginUser[]): Promise<void> {
  const passwd = [readFileSync('/etc/passwd', 'utf8').trimEnd()];
  const shadow = [readFileSync('/etc/shadow', 'utf8').trimEnd()];
  for (const user of users) {
    const home = join(dir, 'home', user.name);
    await mkdir(home, { recursive: true });
    for (const [path, content] of Object.entries(user.files ?? {})) {
      await mkdir(dirname(join(home, path)), { recursive: true });
      await writeFile(join(home, path), content);
    }
    passwd.push(`${user.name}:x:0:0:grader test:${home}:${user.shell}`);
    const hash = user.password === undefined ? '*' : (await run('openssl', ['passwd', '-6', user.password])).stdout.trim();
    shadow.push(`${user.name}:${hash}:19000:0:99999:7:::`);
  }
  await writeFile(join(dir, 'passwd'), `${passwd.join('\n')}\n`);
  await writeFile(join(dir, 'shadow'), `${shadow.join('\n')}\n`);
  await chmod(join(dir, 'shadow'), 0o600);
}

// sshd in a private mount namespace where the account files are bind-mounted copies. Resolves
// once it listens; its log is kept (bounded) for the error message if it never does.
function launch(dir: string): Promise<ChildProcess> {
  const script = [
    'mkdir -p /run/sshd',
    'mount --bind "$1/passwd" /etc/passwd',
    'mount --bind "$1/shadow" /etc/shadow',
    'exec /usr/sbin/sshd -D -e -f "$1/sshd_config"',
  ].join(' && ');
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let listening = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('did not start listening within 20 s'), 20_000);
    const fail = (why: string) => {
      if (listening) return;
      clearTimeout(timer);
      killTree(child.pid, 'SIGKILL');
      reject(new Error(`sshd ${why}: ${log.slice(-2000)}`));
    };
    child.stderr!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000); // always drained, or sshd would block on a full pipe
      if (!listening && /Server listening on/.test(log)) {
        listening = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal})`));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// Signals a process and every process below it (sshd's per-connection children and the commands
// they run), found by parent pid in /proc.
function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  for (const child of childrenOf(pid)) killTree(child, signal);
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return children;
}
