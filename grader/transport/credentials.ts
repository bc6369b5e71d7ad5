import ssh2, { type AnyAuthMethod, type ParsedKey } from 'ssh2';
import { CIPHERS_SSH2_CANNOT_DECRYPT, keyFileFormat } from './key-file-format.ts';

// How the grader logs in to a VM. Any subset may be given; they are tried in the order
// private key, agent, password: public keys before passwords, as OpenSSH does, and the key named
// for the lab before the agent's, so that an agent with many keys cannot use up the server's
// MaxAuthTries before the right key is offered.
export interface Credentials {
  /** An OpenSSH or PEM private key (the file's content). */
  privateKey?: Buffer;
  passphrase?: string;
  password?: string;
  /** Path of an ssh-agent socket (SSH_AUTH_SOCK). */
  agent?: string;
  /** Where the key and the password came from, for messages (a path, a variable's name; never a secret). */
  origin?: { key?: string; password?: string };
}

/** Why a private key cannot be used. */
type UnusableKeyReason = 'needs-passphrase' | 'wrong-passphrase' | 'public-key' | 'unsupported' | 'not-a-key';

const UNUSABLE_KEY_MESSAGES: Record<UnusableKeyReason, string> = {
  'needs-passphrase': 'it is encrypted and no passphrase was given',
  'wrong-passphrase': 'the passphrase does not decrypt it',
  'public-key': 'it is a public key, not a private one',
  unsupported: 'it is in a format or encrypted with a cipher ssh2 cannot read (PKCS#8, chacha20-poly1305)',
  'not-a-key': 'it is not a private key ssh2 supports',
};

// The private key cannot be read, and why. The message names neither the key nor the passphrase.
export class UnusableKeyError extends Error {
  constructor(readonly reason: UnusableKeyReason) {
    super(`the private key cannot be read: ${UNUSABLE_KEY_MESSAGES[reason]}`);
    this.name = 'UnusableKeyError';
  }
}

// Why ssh2 could not read this key with this passphrase, from what the file says of itself.
function unusableReason(file: Buffer, passphrase: string | undefined): UnusableKeyReason {
  if (/^\s*(ssh-|ecdsa-|sk-)[\w@.-]+ AAAA/.test(file.toString('latin1', 0, 200))) return 'public-key';
  const format = keyFileFormat(file);
  if (!format) return 'not-a-key';
  // ssh2 reads no PKCS#8 key, encrypted or not, and no OpenSSH key under a cipher it lacks: no
  // passphrase would help.
  if (format.format === 'pkcs8' || (format.cipher !== undefined && CIPHERS_SSH2_CANNOT_DECRYPT.includes(format.cipher))) return 'unsupported';
  if (!format.encrypted) return 'not-a-key';
  return passphrase === undefined ? 'needs-passphrase' : 'wrong-passphrase';
}

// Keys already parsed, per key buffer and passphrase: decrypting an encrypted key (bcrypt KDF, in
// ssh2's key parser) costs about 0.3 s of CPU, so a run decrypts each key once and hands the parsed,
// decrypted key (held in memory only) to every connection, never the file again.
const parsedKeys = new WeakMap<Buffer, Map<string | undefined, ParsedKey | UnusableKeyError>>();

// The key ssh2 will sign with; UnusableKeyError when it cannot be read with this passphrase.
// Parsed once per key and passphrase for the life of the process.
export function parsePrivateKey(privateKey: Buffer, passphrase: string | undefined): ParsedKey {
  let byPassphrase = parsedKeys.get(privateKey);
  if (!byPassphrase) parsedKeys.set(privateKey, (byPassphrase = new Map()));
  let key = byPassphrase.get(passphrase);
  if (!key) byPassphrase.set(passphrase, (key = parseOnce(privateKey, passphrase)));
  if (key instanceof UnusableKeyError) throw key;
  return key;
}

function parseOnce(privateKey: Buffer, passphrase: string | undefined): ParsedKey | UnusableKeyError {
  // An OpenSSH-format file parses to an array of keys (only ever one so far).
  const parsed = ssh2.utils.parseKey(privateKey, passphrase) as ParsedKey | ParsedKey[] | Error;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || key instanceof Error || !key.isPrivateKey()) return new UnusableKeyError(unusableReason(privateKey, passphrase));
  return key;
}

// ssh2 `authHandler` entries for these credentials. Throws UnusableKeyError up front rather than
// letting ssh2 skip a bad key silently and report a bare authentication failure.
export function authMethods(username: string, credentials: Credentials): AnyAuthMethod[] {
  const { privateKey, passphrase, password, agent } = credentials;
  const methods: AnyAuthMethod[] = [];
  if (privateKey) methods.push({ type: 'publickey', username, key: parsePrivateKey(privateKey, passphrase) });
  if (agent) methods.push({ type: 'agent', username, agent });
  if (password !== undefined) methods.push({ type: 'password', username, password });
  return methods;
}

// The key's type and whether it is encrypted, e.g. "ssh-ed25519, encrypted".
function describeKey(privateKey: Buffer, passphrase: string | undefined): string {
  let type: string;
  try {
    type = parsePrivateKey(privateKey, passphrase).type;
  } catch {
    return 'unusable';
  }
  let encrypted = passphrase !== undefined;
  if (encrypted) {
    try {
      parsePrivateKey(privateKey, undefined);
      encrypted = false;
    } catch {
      // it needs the passphrase
    }
  }
  return `${type}, ${encrypted ? 'encrypted' : 'not encrypted'}`;
}

interface AuthAttemptFacts {
  /** How many keys the agent holds, when it could be asked. */
  agentKeys?: number;
  /** Why the password was not sent, when it was not. */
  passwordWithheld?: string;
}

// What was offered, in the words of an OpenSSH error ("publickey, publickey (agent), password"),
// each with where it came from: the key's file, type and whether it is encrypted, the agent's
// number of keys, the password's source. Never a secret.
export function describeAuthMethods(credentials: Credentials, facts: AuthAttemptFacts = {}): string {
  const { privateKey, passphrase, agent, password, origin } = credentials;
  const keyDetails = privateKey ? [origin?.key, describeKey(privateKey, passphrase)].filter(Boolean).join(', ') : '';
  const agentKeys = facts.agentKeys === undefined ? '' : `, ${facts.agentKeys} key${facts.agentKeys === 1 ? '' : 's'}`;
  const passwordDetails = facts.passwordWithheld ?? origin?.password;
  const offered = [
    privateKey ? `publickey${keyDetails ? ` (${keyDetails})` : ''}` : undefined,
    agent ? `publickey (agent at ${agent}${agentKeys})` : undefined,
    password !== undefined ? `password${passwordDetails ? ` (${passwordDetails})` : ''}` : undefined,
  ].filter((m) => m !== undefined);
  return offered.length > 0 ? offered.join(', ') : 'no credentials given';
}
