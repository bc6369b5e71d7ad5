import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ed25519KeyPair } from '../../test/support/ssh-keys.ts';
import { tempDir } from '../../test/support/test-files.ts';
import { authMethods, describeAuthMethods, parsePrivateKey, UnusableKeyError } from './credentials.ts';
import { CIPHERS_SSH2_CANNOT_DECRYPT } from './key-file-format.ts';

const plainKey = Buffer.from(ed25519KeyPair().private);
const encryptedKey = Buffer.from(ed25519KeyPair({ passphrase: 'open sesame' }).private);

describe('authMethods', () => {
  it("tries the lab's key, then the agent, then the password (an agent full of keys cannot use up MaxAuthTries first)", () => {
    const methods = authMethods('student', { agent: '/run/agent.sock', privateKey: plainKey, password: 'pw' });
    expect(methods.map((m) => m.type)).toEqual(['publickey', 'agent', 'password']);
    expect(methods.every((m) => m.username === 'student')).toBe(true);
  });

  it('decrypts a key with its passphrase', () => {
    expect(authMethods('u', { privateKey: encryptedKey, passphrase: 'open sesame' }).map((m) => m.type)).toEqual(['publickey']);
  });

  it('refuses an unusable key up front without naming the passphrase', () => {
    expect(() => authMethods('u', { privateKey: encryptedKey })).toThrow(UnusableKeyError);
    expect(() => authMethods('u', { privateKey: encryptedKey, passphrase: 'wrong horse' })).toThrow(/the passphrase does not decrypt it/);
    expect(() => authMethods('u', { privateKey: encryptedKey, passphrase: 'wrong horse' })).not.toThrow(/horse/);
    expect(() => authMethods('u', { privateKey: Buffer.from('not a key') })).toThrow(UnusableKeyError);
  });

  describe('says why a key cannot be used, from what ssh-keygen wrote', () => {
    const dir = tempDir('credentials-');
    let made = 0;
    const keygen = (...args: string[]) => {
      const path = join(dir(), `key${made++}`);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-C', '', '-f', path, ...args]);
      return { key: readFileSync(path), publicKey: readFileSync(`${path}.pub`) };
    };
    const reasonOf = (privateKey: Buffer, passphrase?: string) => {
      try {
        parsePrivateKey(privateKey, passphrase);
        return 'parsed';
      } catch (error) {
        return error instanceof UnusableKeyError ? error.reason : error;
      }
    };

    it.each([
      ['an OpenSSH key', ['-N', 'open sesame']],
      ['a PEM key', ['-t', 'ecdsa', '-N', 'open sesame', '-m', 'PEM']],
    ])('%s without its passphrase, with a wrong one, with its own', (_what, args) => {
      const { key } = keygen(...args);
      expect([reasonOf(key), reasonOf(key, 'open sesame!'), reasonOf(key, 'open sesame')]).toEqual(['needs-passphrase', 'wrong-passphrase', 'parsed']);
    });

    // Every cipher this machine's ssh-keygen -Z offers: read with its passphrase (the very key
    // ssh-keygen wrote, which signs), refused with a wrong one or none, or refused as unsupported.
    const CIPHERS = execFileSync('ssh', ['-Q', 'cipher'], { encoding: 'utf8' }).trim().split('\n');
    it.each(CIPHERS)('an ed25519 key encrypted with %s', (cipher) => {
      const { key, publicKey } = keygen('-N', 'open sesame', '-Z', cipher, '-a', '2');
      const reasons = [reasonOf(key), reasonOf(key, 'open sesame!'), reasonOf(key, 'open sesame')];
      if (CIPHERS_SSH2_CANNOT_DECRYPT.includes(cipher)) {
        expect(reasons).toEqual(['unsupported', 'unsupported', 'unsupported']);
        return;
      }
      expect(reasons).toEqual(['needs-passphrase', 'wrong-passphrase', 'parsed']);
      const parsed = parsePrivateKey(key, 'open sesame');
      expect(`${parsed.type} ${parsed.getPublicSSH().toString('base64')}`).toBe(publicKey.toString().trim().split(' ').slice(0, 2).join(' '));
      const signature = parsed.sign(Buffer.from('challenge'));
      expect((ssh2.utils.parseKey(publicKey) as ParsedKey).verify(Buffer.from('challenge'), signature)).toBe(true);
    });

    it.each([
      ['an RSA', ['-t', 'rsa', '-b', '2048'], 'ssh-rsa'],
      ['an ECDSA', ['-t', 'ecdsa', '-b', '384'], 'ecdsa-sha2-nistp384'],
    ])("%s key with ssh-keygen's default cipher and rounds (aes256-ctr, 16)", (_what, args, type) => {
      const { key, publicKey } = keygen(...args, '-N', 'open sesame');
      expect(key.toString()).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
      expect([reasonOf(key, ''), reasonOf(key, 'Open sesame')]).toEqual(['wrong-passphrase', 'wrong-passphrase']);
      const parsed = parsePrivateKey(key, 'open sesame');
      expect(parsed.type).toBe(type);
      expect(parsed.getPublicSSH().equals((ssh2.utils.parseKey(publicKey) as ParsedKey).getPublicSSH())).toBe(true);
    });

    it('a public key given for the private one', () => {
      expect(reasonOf(keygen('-N', '').publicKey)).toBe('public-key');
    });

    it('formats and ciphers ssh2 cannot read, whatever the passphrase', () => {
      const pkcs8 = keygen('-t', 'rsa', '-b', '2048', '-N', '', '-m', 'PKCS8').key;
      const chacha = keygen('-N', 'open sesame', '-Z', 'chacha20-poly1305@openssh.com', '-a', '2').key;
      expect([reasonOf(pkcs8), reasonOf(chacha, 'open sesame'), reasonOf(chacha)]).toEqual(['unsupported', 'unsupported', 'unsupported']);
    });

    it('anything else', () => {
      expect([reasonOf(Buffer.from('not a key')), reasonOf(Buffer.alloc(0), 'pw')]).toEqual(['not-a-key', 'not-a-key']);
    });
  });

  it('parses a key once per passphrase, however many connections use it', () => {
    const key = Buffer.from(ed25519KeyPair({ passphrase: 'pw' }).private);
    const first = authMethods('u', { privateKey: key, passphrase: 'pw' })[0];
    const second = authMethods('v', { privateKey: key, passphrase: 'pw' })[0];
    expect(first?.type === 'publickey' && second?.type === 'publickey' && first.key === second.key).toBe(true);
    expect(() => authMethods('u', { privateKey: key, passphrase: 'other' })).toThrow(UnusableKeyError);
  });

  it('offers nothing for no credentials', () => {
    expect(authMethods('u', {})).toEqual([]);
  });
});

describe('describeAuthMethods', () => {
  it('names what was offered as OpenSSH would, never the secrets', () => {
    expect(describeAuthMethods({ agent: '/a', privateKey: plainKey, password: 'hunter2' })).toBe('publickey (ssh-ed25519, not encrypted), publickey (agent at /a), password');
    expect(describeAuthMethods({ password: '' })).toBe('password');
    expect(describeAuthMethods({})).toBe('no credentials given');
  });

  it("names the key file, its type and whether it is encrypted, the agent's number of keys and the password's source", () => {
    const credentials = {
      privateKey: encryptedKey,
      passphrase: 'open sesame',
      agent: '/run/agent.sock',
      password: 'hunter2',
      origin: { key: '~/.ssh/grader from GRADER_SSH_KEY in ~/course/.env', password: 'GRADER_SSH_PASSWORD in ~/course/.env' },
    };
    const text = describeAuthMethods(credentials, { agentKeys: 12 });
    expect(text).toBe(
      'publickey (~/.ssh/grader from GRADER_SSH_KEY in ~/course/.env, ssh-ed25519, encrypted), publickey (agent at /run/agent.sock, 12 keys), password (GRADER_SSH_PASSWORD in ~/course/.env)',
    );
    expect(text).not.toMatch(/hunter2|sesame/);
    expect(describeAuthMethods({ password: 'x' }, { passwordWithheld: 'not sent: the host key was not already known' })).toBe('password (not sent: the host key was not already known)');
  });
});
