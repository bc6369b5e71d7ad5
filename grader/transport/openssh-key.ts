import { createDecipheriv } from 'node:crypto';
import { bcryptPbkdf } from './bcrypt-pbkdf.ts';

// Decrypts a private key in OpenSSH's own format ("-----BEGIN OPENSSH PRIVATE KEY-----",
// PROTOCOL.key in OpenSSH's sources) encrypted with bcrypt_pbkdf, ssh-keygen's default, into the
// same key unencrypted (cipher and KDF "none"), still only in memory, for ssh2 to parse. ssh2 can
// decrypt these itself, but its bcrypt_pbkdf takes 2.4 times as long (docs/BENCHMARKS.md).

export type OpensshDecryption =
  /** Not an encrypted OpenSSH key this module handles (PEM, unencrypted, another cipher): ssh2's turn. */
  | { kind: 'not-handled' }
  | { kind: 'wrong-passphrase' }
  | { kind: 'decrypted'; key: Buffer };

const MAGIC = Buffer.from('openssh-key-v1\0');
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

// The ciphers ssh-keygen -Z offers that Node's OpenSSL has under the same construction.
const CIPHERS: Record<string, { algorithm: string; keyBytes: number; ivBytes: number; tagBytes: number }> = {
  'aes128-ctr': { algorithm: 'aes-128-ctr', keyBytes: 16, ivBytes: 16, tagBytes: 0 },
  'aes192-ctr': { algorithm: 'aes-192-ctr', keyBytes: 24, ivBytes: 16, tagBytes: 0 },
  'aes256-ctr': { algorithm: 'aes-256-ctr', keyBytes: 32, ivBytes: 16, tagBytes: 0 },
  'aes128-cbc': { algorithm: 'aes-128-cbc', keyBytes: 16, ivBytes: 16, tagBytes: 0 },
  'aes192-cbc': { algorithm: 'aes-192-cbc', keyBytes: 24, ivBytes: 16, tagBytes: 0 },
  'aes256-cbc': { algorithm: 'aes-256-cbc', keyBytes: 32, ivBytes: 16, tagBytes: 0 },
  'aes128-gcm@openssh.com': { algorithm: 'aes-128-gcm', keyBytes: 16, ivBytes: 12, tagBytes: 16 },
  'aes256-gcm@openssh.com': { algorithm: 'aes-256-gcm', keyBytes: 32, ivBytes: 12, tagBytes: 16 },
};

// Reads SSH wire-format fields (RFC 4251: uint32, string) from a buffer; undefined past its end.
class WireReader {
  offset = 0;
  constructor(private readonly buffer: Buffer) {}

  uint32(): number | undefined {
    if (this.offset + 4 > this.buffer.length) return undefined;
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): Buffer | undefined {
    const length = this.uint32();
    if (length === undefined || this.offset + length > this.buffer.length) return undefined;
    this.offset += length;
    return this.buffer.subarray(this.offset - length, this.offset);
  }

  rest(): Buffer {
    return this.buffer.subarray(this.offset);
  }
}

const wireString = (value: Buffer | string): Buffer => {
  const bytes = Buffer.from(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

// The binary content of an OpenSSH private key file, or undefined when it is not one.
function opensshBinary(file: Buffer): Buffer | undefined {
  const text = file.toString('latin1');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END, begin);
  if (begin < 0 || end < 0) return undefined;
  const binary = Buffer.from(text.slice(begin + BEGIN.length, end).replace(/\s+/g, ''), 'base64');
  return binary.subarray(0, MAGIC.length).equals(MAGIC) ? binary : undefined;
}

/** What a private key file says of itself, read without its passphrase. */
export interface KeyFileFormat {
  format: 'openssh' | 'pem' | 'pkcs8';
  encrypted: boolean;
  /** OpenSSH's format: the cipher, and whether the grader or ssh2 can decrypt it. */
  cipher?: { name: string; supported: boolean };
}

// OpenSSH's format (its cipher, "none" when not encrypted), traditional PEM ("BEGIN RSA PRIVATE
// KEY", "Proc-Type: 4,ENCRYPTED") or PKCS#8 ("BEGIN [ENCRYPTED ]PRIVATE KEY"); undefined for
// anything else.
export function keyFileFormat(file: Buffer): KeyFileFormat | undefined {
  const binary = opensshBinary(file);
  if (binary) {
    const name = new WireReader(binary.subarray(MAGIC.length)).string()?.toString() ?? 'none';
    return { format: 'openssh', encrypted: name !== 'none', cipher: { name, supported: name === 'none' || Object.hasOwn(CIPHERS, name) } };
  }
  const text = file.toString('latin1');
  if (/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(text)) return { format: 'pkcs8', encrypted: text.includes('BEGIN ENCRYPTED PRIVATE KEY') };
  if (/-----BEGIN (RSA|DSA|EC) PRIVATE KEY-----/.test(text)) return { format: 'pem', encrypted: /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text) };
  return undefined;
}

export function decryptOpensshKey(file: Buffer, passphrase: string | undefined): OpensshDecryption {
  const binary = opensshBinary(file);
  if (!binary || passphrase === undefined) return { kind: 'not-handled' };
  const reader = new WireReader(binary.subarray(MAGIC.length));
  const cipherName = reader.string()?.toString();
  const kdfName = reader.string()?.toString();
  const kdfOptions = reader.string();
  const cipher = cipherName !== undefined && Object.hasOwn(CIPHERS, cipherName) ? CIPHERS[cipherName] : undefined;
  if (!cipher || kdfName !== 'bcrypt' || !kdfOptions) return { kind: 'not-handled' };
  const options = new WireReader(kdfOptions);
  const salt = options.string();
  const rounds = options.uint32();
  const count = reader.uint32();
  if (!salt || !rounds || count === undefined) return { kind: 'not-handled' };
  const publicKeys: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const publicKey = reader.string();
    if (!publicKey) return { kind: 'not-handled' };
    publicKeys.push(publicKey);
  }
  const encrypted = reader.string();
  const tag = reader.rest().subarray(0, cipher.tagBytes);
  if (!encrypted || tag.length < cipher.tagBytes || encrypted.length % 16 !== 0) return { kind: 'not-handled' };

  const material = bcryptPbkdf(Buffer.from(passphrase), salt, cipher.keyBytes + cipher.ivBytes, rounds);
  let decrypted: Buffer;
  try {
    const decipher = createDecipheriv(cipher.algorithm, material.subarray(0, cipher.keyBytes), material.subarray(cipher.keyBytes));
    decipher.setAutoPadding(false);
    if (cipher.tagBytes > 0) (decipher as ReturnType<typeof createDecipheriv> & { setAuthTag(tag: Buffer): void }).setAuthTag(tag);
    decrypted = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  } catch {
    return { kind: 'wrong-passphrase' }; // a GCM tag that does not verify
  } finally {
    material.fill(0);
  }
  // Two equal random check words open the private section: unequal, the passphrase was wrong.
  if (decrypted.length < 8 || decrypted.readUInt32BE(0) !== decrypted.readUInt32BE(4)) {
    decrypted.fill(0);
    return { kind: 'wrong-passphrase' };
  }
  const countField = Buffer.alloc(4);
  countField.writeUInt32BE(count);
  const unencrypted = Buffer.concat([MAGIC, wireString('none'), wireString('none'), wireString(''), countField, ...publicKeys.map(wireString), wireString(decrypted)]);
  decrypted.fill(0);
  const key = Buffer.from(`${BEGIN}\n${unencrypted.toString('base64')}\n${END}\n`);
  unencrypted.fill(0);
  return { kind: 'decrypted', key };
}
