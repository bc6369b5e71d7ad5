import ssh2, { type AnyAuthMethod, type ParsedKey } from 'ssh2';

// How the grader logs in to a VM. Any subset may be given; they are tried in the order
// agent, private key, password (OpenSSH's order: public keys before passwords).
export interface Credentials {
  /** An OpenSSH or PEM private key (the file's content, never its path). */
  privateKey?: Buffer;
  passphrase?: string;
  password?: string;
  /** Path of an ssh-agent socket (SSH_AUTH_SOCK). */
  agent?: string;
}

// The private key cannot be read: wrong or missing passphrase, or not a key. The message names
// neither the key nor the passphrase.
export class UnusableKeyError extends Error {
  constructor(hasPassphrase: boolean) {
    super(
      hasPassphrase
        ? 'the private key cannot be read: wrong passphrase, or not a private key ssh2 supports'
        : 'the private key cannot be read: encrypted (no passphrase given), or not a private key ssh2 supports',
    );
    this.name = 'UnusableKeyError';
  }
}

// Keys already parsed, per key buffer and passphrase: decrypting an encrypted key (bcrypt KDF)
// costs about 0.3 s of CPU, so a run parses each key once, not once per connection.
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
  if (key === undefined || key instanceof Error || !key.isPrivateKey()) return new UnusableKeyError(passphrase !== undefined);
  return key;
}

// ssh2 `authHandler` entries for these credentials. Throws UnusableKeyError up front rather than
// letting ssh2 skip a bad key silently and report a bare authentication failure.
export function authMethods(username: string, credentials: Credentials): AnyAuthMethod[] {
  const { privateKey, passphrase, password, agent } = credentials;
  const methods: AnyAuthMethod[] = [];
  if (agent) methods.push({ type: 'agent', username, agent });
  if (privateKey) methods.push({ type: 'publickey', username, key: parsePrivateKey(privateKey, passphrase) });
  if (password !== undefined) methods.push({ type: 'password', username, password });
  return methods;
}

// What was offered, in the words of an OpenSSH error: "publickey (agent), publickey, password".
export function describeAuthMethods(credentials: Credentials): string {
  const offered = [
    credentials.agent ? 'publickey (agent)' : undefined,
    credentials.privateKey ? 'publickey' : undefined,
    credentials.password !== undefined ? 'password' : undefined,
  ].filter((m) => m !== undefined);
  return offered.length > 0 ? offered.join(', ') : 'no credentials given';
}
