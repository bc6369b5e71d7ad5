import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parsePrivateKey, UnusableKeyError, type Credentials } from '../transport/credentials.ts';
import { ConfigError } from './config-error.ts';
import type { Environment } from './environment.ts';

/** Keys tried, as OpenSSH does, when GRADER_SSH_KEY names none. */
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function readKey(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

// Why a key cannot be used, in words that never include the key, its path or its passphrase.
function keyProblem(key: Buffer, passphrase: string | undefined): string | undefined {
  try {
    parsePrivateKey(key, passphrase);
    return undefined;
  } catch (error) {
    if (!(error instanceof UnusableKeyError)) throw error;
    return passphrase === undefined ? 'it is encrypted and GRADER_SSH_KEY_PASSPHRASE is not set, or it is not a private key' : 'GRADER_SSH_KEY_PASSPHRASE does not decrypt it, or it is not a private key';
  }
}

// SSH credentials from the environment (or .env): GRADER_SSH_KEY (a private key file) with
// GRADER_SSH_KEY_PASSPHRASE, GRADER_SSH_PASSWORD, and the agent at SSH_AUTH_SOCK.
export function credentialsFromEnv(env: Environment, home = homedir()): Credentials {
  const credentials: Credentials = {};
  const passphrase = env.GRADER_SSH_KEY_PASSPHRASE || undefined;
  if (env.GRADER_SSH_KEY) {
    const key = readKey(env.GRADER_SSH_KEY);
    if (!key) throw new ConfigError(['the private key named by GRADER_SSH_KEY cannot be read']);
    const problem = keyProblem(key, passphrase);
    if (problem) throw new ConfigError([`the private key named by GRADER_SSH_KEY cannot be used: ${problem}`]);
    Object.assign(credentials, { privateKey: key, passphrase });
  } else {
    const key = DEFAULT_KEYS.map((name) => readKey(join(home, '.ssh', name))).find((k) => k && !keyProblem(k, passphrase));
    if (key) Object.assign(credentials, { privateKey: key, passphrase });
  }
  if (env.GRADER_SSH_PASSWORD) credentials.password = env.GRADER_SSH_PASSWORD;
  if (env.SSH_AUTH_SOCK) credentials.agent = env.SSH_AUTH_SOCK;
  if (!credentials.privateKey && !credentials.password && !credentials.agent) {
    throw new ConfigError([
      'no SSH credentials: set GRADER_SSH_KEY (and GRADER_SSH_KEY_PASSPHRASE) or GRADER_SSH_PASSWORD in the environment or .env, or run an ssh-agent (see .env.example)',
    ]);
  }
  return credentials;
}
