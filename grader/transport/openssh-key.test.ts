// The grader's own decryption of OpenSSH private keys, against keys ssh-keygen encrypted (every
// cipher ssh-keygen -Z offers that it handles, three key types) and against ssh2's decryption.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/test-files.ts';
import { decryptOpensshKey } from './openssh-key.ts';

const PASSPHRASE = 'correct horse battery staple';
const dir = tempDir('openssh-key-', { shared: true });

// A key made by ssh-keygen: its file and its public key line.
function keygen(name: string, args: string[]): { file: Buffer; publicLine: string } {
  const path = join(dir(), name);
  execFileSync('ssh-keygen', ['-q', '-C', name, '-f', path, ...args]);
  return { file: readFileSync(path), publicLine: readFileSync(`${path}.pub`, 'utf8') };
}

const only = (parsed: ReturnType<typeof ssh2.utils.parseKey>): ParsedKey => {
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new Error(`not parsed: ${String(key)}`);
  return key;
};

function decrypted(file: Buffer, passphrase: string): ParsedKey {
  const result = decryptOpensshKey(file, passphrase);
  if (result.kind !== 'decrypted') throw new Error(`not decrypted: ${result.kind}`);
  return only(ssh2.utils.parseKey(result.key));
}

describe('decryptOpensshKey', () => {
  const CIPHERS = ['aes256-ctr', 'aes192-ctr', 'aes128-ctr', 'aes256-cbc', 'aes128-cbc', 'aes256-gcm@openssh.com', 'aes128-gcm@openssh.com'];

  it.each(CIPHERS)('decrypts an ed25519 key ssh-keygen encrypted with %s (2 rounds) to the key ssh-keygen wrote', (cipher) => {
    const { file, publicLine } = keygen(`ed25519-${cipher}`, ['-t', 'ed25519', '-N', PASSPHRASE, '-Z', cipher, '-a', '2']);
    const key = decrypted(file, PASSPHRASE);
    expect(key.isPrivateKey()).toBe(true);
    expect(`${key.type} ${key.getPublicSSH().toString('base64')} ${key.comment}\n`).toBe(publicLine);
    const signature = key.sign(Buffer.from('challenge'));
    expect(only(ssh2.utils.parseKey(publicLine)).verify(Buffer.from('challenge'), signature)).toBe(true);
    expect(decryptOpensshKey(file, `${PASSPHRASE}!`)).toEqual({ kind: 'wrong-passphrase' });
  });

  it.each([
    ['an RSA', ['-t', 'rsa', '-b', '2048']],
    ['an ECDSA', ['-t', 'ecdsa', '-b', '384']],
  ])('decrypts %s key with ssh-keygen\'s default cipher and rounds, to the key ssh2 decrypts', (_what, args) => {
    const { file, publicLine } = keygen(`default-${args[1]}`, [...args, '-N', PASSPHRASE]);
    expect(file.toString()).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    const ours = decrypted(file, PASSPHRASE);
    const theirs = only(ssh2.utils.parseKey(file, PASSPHRASE));
    expect(ours.getPrivatePEM()).toBe(theirs.getPrivatePEM());
    expect(ours.getPublicSSH().equals(only(ssh2.utils.parseKey(publicLine)).getPublicSSH())).toBe(true);
  });

  it('refuses a wrong or empty passphrase on a key with ssh-keygen\'s defaults (aes256-ctr, 16 rounds)', () => {
    const { file } = keygen('default-ed25519', ['-t', 'ed25519', '-N', PASSPHRASE]);
    expect(decryptOpensshKey(file, 'Correct horse battery staple')).toEqual({ kind: 'wrong-passphrase' });
    expect(decryptOpensshKey(file, '')).toEqual({ kind: 'wrong-passphrase' });
    expect(decrypted(file, PASSPHRASE).type).toBe('ssh-ed25519');
  });

  it("leaves to ssh2 what it does not handle: no passphrase, an unencrypted key, a PEM key, another cipher, anything that is not a key", () => {
    const encrypted = keygen('left-encrypted', ['-t', 'ed25519', '-N', PASSPHRASE, '-a', '2']).file;
    const plain = keygen('left-plain', ['-t', 'ed25519', '-N', '']).file;
    const pem = keygen('left-pem', ['-t', 'ecdsa', '-N', PASSPHRASE, '-m', 'PEM']).file;
    const chacha = keygen('left-chacha', ['-t', 'ed25519', '-N', PASSPHRASE, '-Z', 'chacha20-poly1305@openssh.com', '-a', '2']).file;
    const text = encrypted.toString();
    const body = text.split('\n').slice(1, -2).join('');
    const truncated = Buffer.from(`-----BEGIN OPENSSH PRIVATE KEY-----\n${body.slice(0, 120)}\n-----END OPENSSH PRIVATE KEY-----\n`);
    for (const [file, passphrase] of [
      [encrypted, undefined],
      [plain, PASSPHRASE],
      [pem, PASSPHRASE],
      [chacha, PASSPHRASE],
      [truncated, PASSPHRASE],
      [Buffer.from('not a key'), PASSPHRASE],
      [Buffer.alloc(0), PASSPHRASE],
    ] as const) {
      expect(decryptOpensshKey(file, passphrase)).toEqual({ kind: 'not-handled' });
    }
    expect(only(ssh2.utils.parseKey(pem, PASSPHRASE)).type).toBe('ecdsa-sha2-nistp256');
  });
});
