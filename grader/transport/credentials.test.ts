import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { authMethods, describeAuthMethods, UnusableKeyError } from './credentials.ts';

const plainKey = Buffer.from(utils.generateKeyPairSync('ed25519').private);
const encryptedKey = Buffer.from(utils.generateKeyPairSync('ed25519', { passphrase: 'open sesame', cipher: 'aes256-ctr', rounds: 4 }).private);

describe('authMethods', () => {
  it('tries the agent, then the key, then the password', () => {
    const methods = authMethods('student', { agent: '/run/agent.sock', privateKey: plainKey, password: 'pw' });
    expect(methods.map((m) => m.type)).toEqual(['agent', 'publickey', 'password']);
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
    const key = Buffer.from(utils.generateKeyPairSync('ed25519', { passphrase: 'pw', cipher: 'aes256-ctr', rounds: 4 }).private);
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
    expect(describeAuthMethods({ agent: '/a', privateKey: plainKey, password: 'hunter2' })).toBe('publickey (agent), publickey, password');
    expect(describeAuthMethods({ password: '' })).toBe('password');
    expect(describeAuthMethods({})).toBe('no credentials given');
  });
});
