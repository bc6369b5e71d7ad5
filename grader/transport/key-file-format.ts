// What a private key file says of itself, read from its armour and header without its passphrase:
// enough to say why ssh2 could not read it. No decryption here; ssh2 parses and decrypts the key.

/** What a private key file says of itself. */
interface KeyFileFormat {
  format: 'openssh' | 'pem' | 'pkcs8';
  encrypted: boolean;
  /** OpenSSH's format: the cipher that encrypts it ("none" when it is not). */
  cipher?: string;
}

// Ciphers ssh-keygen -Z offers under which ssh2 cannot decrypt a key, whatever the passphrase
// (ssh2 1.17 fails chacha20-poly1305 keys with "Invalid initialization vector"). The credentials
// test tries every cipher `ssh -Q cipher` lists against this.
export const CIPHERS_SSH2_CANNOT_DECRYPT: readonly string[] = ['chacha20-poly1305@openssh.com'];

const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
const MAGIC = Buffer.from('openssh-key-v1\0');

// OpenSSH's format (PROTOCOL.key: magic, then the cipher's name as an SSH string), traditional PEM
// ("BEGIN RSA PRIVATE KEY", "Proc-Type: 4,ENCRYPTED") or PKCS#8 ("BEGIN [ENCRYPTED ]PRIVATE KEY");
// undefined for anything else.
export function keyFileFormat(file: Buffer): KeyFileFormat | undefined {
  const text = file.toString('latin1');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END, begin);
  if (begin >= 0 && end >= 0) {
    const binary = Buffer.from(text.slice(begin + BEGIN.length, end).replace(/\s+/g, ''), 'base64');
    if (!binary.subarray(0, MAGIC.length).equals(MAGIC) || binary.length < MAGIC.length + 4) return undefined;
    const length = binary.readUInt32BE(MAGIC.length);
    const start = MAGIC.length + 4;
    if (start + length > binary.length) return undefined;
    const cipher = binary.toString('latin1', start, start + length);
    return { format: 'openssh', encrypted: cipher !== 'none', cipher };
  }
  if (/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(text)) return { format: 'pkcs8', encrypted: text.includes('BEGIN ENCRYPTED PRIVATE KEY') };
  if (/-----BEGIN (RSA|DSA|EC) PRIVATE KEY-----/.test(text)) return { format: 'pem', encrypted: /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text) };
  return undefined;
}
