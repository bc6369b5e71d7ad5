import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parsePrivateKey, UnusableKeyError, type Credentials } from '../transport/credentials.ts';
import { ConfigError } from './config-error.ts';
import { originOf, type Environment } from './environment.ts';

/** Keys tried, as OpenSSH does, when GRADER_SSH_KEY names none. */
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
};

// The key file's bytes, or why it cannot be read ("no such file", "permission denied").
export function readKeyFile(path: string): Buffer | string {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return READ_ERRORS[code] ?? `cannot be read (${code || (error as Error).message})`;
  }
}

// Why a key cannot be used, in words that never include the key or its passphrase.
function keyProblem(path: string, key: Buffer, passphrase: string | undefined, passphraseName: string): string | undefined {
  try {
    parsePrivateKey(key, passphrase);
    return undefined;
  } catch (error) {
    if (!(error instanceof UnusableKeyError)) throw error;
    return {
      'needs-passphrase': `it is encrypted and ${passphraseName} is not set`,
      'wrong-passphrase': `${passphraseName} does not decrypt it`,
      'public-key': 'it is a public key; name the private key (usually the same name without .pub)',
      unsupported: `ssh2 cannot read its format or cipher (PKCS#8, chacha20-poly1305); \`ssh-keygen -p -Z aes256-ctr -f ${shortPath(path)}\` rewrites it in OpenSSH's own format`,
      'not-a-key': 'it is not a private key (OpenSSH or PEM format)',
    }[error.reason];
  }
}

// A home directory shown as ~, so that messages stay short.
export function shortPath(path: string, home = homedir()): string {
  return home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

// The private key at `path`, checked with its passphrase: its bytes, or one line saying why not
// (the path and the reason: unreadable, encrypted without a passphrase, not a key).
// `names.key` is the variable that names it, or `names.place` where the inventory does.
export function loadKey(path: string, passphrase: string | undefined, names: { key: string; passphrase: string; place?: string }): { privateKey: Buffer; origin: string } | string {
  const what = names.place ? `${names.place}: the private key ${path}` : `the private key ${path} named by ${names.key}`;
  const key = readKeyFile(path);
  if (typeof key === 'string') return `${what} cannot be read: ${key}`;
  const problem = keyProblem(path, key, passphrase, names.passphrase);
  if (problem) return `${what} cannot be used: ${problem}`;
  return { privateKey: key, origin: `${shortPath(path)} from ${names.key}` };
}

// " in /path/.env" when the variable came from a .env file.
function fromFile(env: Environment, name: string): string {
  const origin = originOf(env, name);
  return origin && origin !== 'the environment' ? ` in ${shortPath(origin)}` : '';
}

// SSH credentials from the environment (or .env): GRADER_SSH_KEY (a private key file) with
// GRADER_SSH_KEY_PASSPHRASE, GRADER_SSH_PASSWORD, and the agent at SSH_AUTH_SOCK.
export function credentialsFromEnv(env: Environment, home = homedir()): Credentials {
  const credentials: Credentials = { origin: {} };
  const passphrase = env.GRADER_SSH_KEY_PASSPHRASE || undefined;
  if (env.GRADER_SSH_KEY) {
    const key = loadKey(env.GRADER_SSH_KEY, passphrase, { key: 'GRADER_SSH_KEY', passphrase: 'GRADER_SSH_KEY_PASSPHRASE' });
    if (typeof key === 'string') throw new ConfigError([key]);
    Object.assign(credentials, { privateKey: key.privateKey, passphrase });
    credentials.origin!.key = `${key.origin}${fromFile(env, 'GRADER_SSH_KEY')}`;
  } else {
    for (const name of DEFAULT_KEYS) {
      const path = join(home, '.ssh', name);
      const key = readKeyFile(path);
      if (typeof key === 'string' || keyProblem(path, key, passphrase, 'GRADER_SSH_KEY_PASSPHRASE')) continue;
      Object.assign(credentials, { privateKey: key, passphrase });
      credentials.origin!.key = `${shortPath(path, home)}, OpenSSH's default`;
      break;
    }
  }
  if (env.GRADER_SSH_PASSWORD) {
    credentials.password = env.GRADER_SSH_PASSWORD;
    credentials.origin!.password = `GRADER_SSH_PASSWORD${fromFile(env, 'GRADER_SSH_PASSWORD')}`;
  }
  if (env.SSH_AUTH_SOCK) credentials.agent = env.SSH_AUTH_SOCK;
  if (!credentials.privateKey && !credentials.password && !credentials.agent) {
    throw new ConfigError([
      'no SSH credentials: set GRADER_SSH_KEY (and GRADER_SSH_KEY_PASSPHRASE) or GRADER_SSH_PASSWORD in the environment or .env, or run an ssh-agent (see .env.example)',
    ]);
  }
  return credentials;
}

