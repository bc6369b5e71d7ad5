import { createHash, createHmac } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { globMatches } from '../core/glob.ts';

// Like OpenSSH's StrictHostKeyChecking: strict refuses unknown hosts, accept-new records them,
// off accepts any key without recording it. All but off refuse a changed or revoked key.
export const HOST_KEY_POLICIES = ['strict', 'accept-new', 'off'] as const;
export type HostKeyPolicy = (typeof HOST_KEY_POLICIES)[number];

export type HostKeyVerdict = 'match' | 'unknown' | 'mismatch' | 'revoked';

// One usable line of a known_hosts file (`@cert-authority` lines are left out: ssh2 has no certificates).
export interface KnownHostEntry {
  revoked: boolean;
  /** The host field as written: comma-separated patterns or one `|1|salt|hmac` hash. */
  hosts: string;
  keyType: string;
  keyBlob: Buffer;
  /** 1-based line number in the file. */
  line: number;
  /** Recorded by the grader under accept-new (trust on first use): never enough to send a password. */
  firstUse: boolean;
}

// The comment the grader writes after a key it recorded on first use. OpenSSH ignores comments;
// the grader reads this one back, so that a recorded key lets the grader in with its key but never
// makes a password safe to send. Delete the comment to vouch for the key yourself.
export const FIRST_USE_MARK = 'recorded-on-first-use-by-the-grader';

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]?.startsWith('#')) return;
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    if (marker !== undefined && marker !== '@revoked') return;
    const [hosts, keyType, base64, ...comment] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) return;
    const keyBlob = Buffer.from(base64, 'base64');
    if (keyTypeOf(keyBlob) !== keyType) return; // malformed or an SSH-1 line
    const firstUse = comment.includes(FIRST_USE_MARK);
    entries.push({ revoked: marker === '@revoked', hosts, keyType, keyBlob, line: index + 1, firstUse });
  });
  return entries;
}

// The name OpenSSH looks a host up under: `host` on port 22, `[host]:port` elsewhere.
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

// Whether a host field (pattern list or hashed name) names `name` (from knownHostsName).
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (salt === undefined || hash === undefined) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of field.toLowerCase().split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

export function checkHostKey(entries: readonly KnownHostEntry[], keyType: string, keyBlob: Buffer): HostKeyVerdict {
  const same = (e: KnownHostEntry) => e.keyType === keyType && e.keyBlob.equals(keyBlob);
  if (entries.some((e) => e.revoked && same(e))) return 'revoked';
  const known = entries.filter((e) => !e.revoked);
  if (known.some(same)) return 'match';
  return known.length === 0 ? 'unknown' : 'mismatch';
}

// Whether this key was vouched for by whoever wrote known_hosts (not only recorded on first use):
// only then may a password be sent to the host.
export function keyVouchedFor(entries: readonly KnownHostEntry[], keyType: string, keyBlob: Buffer): boolean {
  return checkHostKey(entries, keyType, keyBlob) === 'match' && entries.some((e) => !e.revoked && !e.firstUse && e.keyType === keyType && e.keyBlob.equals(keyBlob));
}

export function formatKnownHostsLine(host: string, port: number, keyType: string, keyBlob: Buffer, options: { firstUse?: boolean } = {}): string {
  return `${knownHostsName(host, port)} ${keyType} ${keyBlob.toString('base64')}${options.firstUse ? ` ${FIRST_USE_MARK}` : ''}\n`;
}

// OpenSSH's form: `SHA256:` and the unpadded base64 of the SHA-256 of the raw public key.
export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

// The key type named inside an SSH public key blob (its first string), or '' when malformed.
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const length = keyBlob.readUInt32BE(0);
  return length > 0 && length <= 64 && keyBlob.length >= 4 + length ? keyBlob.toString('latin1', 4, 4 + length) : '';
}

// A known_hosts file: read once, appended to (never rewritten) when a new host key is accepted.
export class KnownHosts {
  private appending: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private entries: KnownHostEntry[],
    private readonly onRecorded?: (line: string) => void,
  ) {}

  // A missing file is an empty one; it is created by the first add(). `onRecorded` hears one line
  // per key written to the file (a user's ~/.ssh/known_hosts is never changed without saying so).
  static async load(path: string, onRecorded?: (line: string) => void): Promise<KnownHosts> {
    return new KnownHosts(path, parseKnownHosts(await readIfExists(path)), onRecorded);
  }

  /** Entries naming this host (revoked ones included), in file order. */
  lookup(host: string, port: number): KnownHostEntry[] {
    const name = knownHostsName(host, port);
    return this.entries.filter((e) => hostFieldMatches(e.hosts, name));
  }

  check(host: string, port: number, keyType: string, keyBlob: Buffer): HostKeyVerdict {
    return checkHostKey(this.lookup(host, port), keyType, keyBlob);
  }

  vouchedFor(host: string, port: number, keyType: string, keyBlob: Buffer): boolean {
    return keyVouchedFor(this.lookup(host, port), keyType, keyBlob);
  }

  // Appends one line (marked when recorded on first use). Adds are serialised so that concurrent
  // connections never interleave.
  add(host: string, port: number, keyType: string, keyBlob: Buffer, options: { firstUse?: boolean } = {}): Promise<void> {
    const done = this.appending.then(() => this.append(host, port, keyType, keyBlob, options.firstUse ?? false));
    this.appending = done.catch(() => undefined);
    return done;
  }

  private async append(host: string, port: number, keyType: string, keyBlob: Buffer, firstUse: boolean): Promise<void> {
    const text = await readIfExists(this.path); // pick up lines other processes wrote meanwhile
    this.entries = parseKnownHosts(text);
    if (this.check(host, port, keyType, keyBlob) === 'match') return;
    const needsNewline = text !== '' && !text.endsWith('\n');
    const line = (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0)) + 1;
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const file = await open(this.path, 'a', 0o600);
    try {
      await file.write(`${needsNewline ? '\n' : ''}${formatKnownHostsLine(host, port, keyType, keyBlob, { firstUse })}`);
    } finally {
      await file.close();
    }
    this.entries.push({ revoked: false, hosts: knownHostsName(host, port), keyType, keyBlob, line, firstUse });
    this.onRecorded?.(`recorded the new host key of ${knownHostsName(host, port)} (${keyType} ${fingerprintSha256(keyBlob)}) in ${this.path}:${line}`);
  }
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
