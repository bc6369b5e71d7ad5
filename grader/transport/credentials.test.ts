import { describe, expect, it } from 'vitest';
import { ed25519KeyPair } from '../../test/support/ssh-keys.ts';
import { authMethods, describeAuthMethods, UnusableKeyError } from './credentials.ts';

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
    expect(() => authMethods('u', { privateKey: encryptedKey, passphrase: 'wrong horse' })).toThrow(/wrong passphrase/);
    expect(() => authMethods('u', { privateKey: encryptedKey, passphrase: 'wrong horse' })).not.toThrow(/horse/);
    expect(() => authMethods('u', { privateKey: Buffer.from('not a key') })).toThrow(UnusableKeyError);
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
