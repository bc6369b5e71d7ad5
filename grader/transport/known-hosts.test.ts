import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/test-files.ts';
import {
  checkHostKey,
  fingerprintSha256,
  FIRST_USE_MARK,
  formatKnownHostsLine,
  hostFieldMatches,
  keyTypeOf,
  KnownHosts,
  knownHostsName,
  parseKnownHosts,
} from './known-hosts.ts';

// Keys and fingerprints made with ssh-keygen (-lf printed the fingerprints); the hashed lines
// are `ssh-keygen -H` of "10.0.0.5 KEY1" and "[10.0.0.6]:2222 KEY2".
const KEY1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIOSVlJS7ln+/dEXIMigNzgS+F5/u1qATfPLGAxqz70Vi';
const KEY1_FP = 'SHA256:/yBC7Ap6wxOgQ8u4cIOQJFAbdfXE8Dic8LSaI22KCFs';
const KEY2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIEm7xV50fv8ZHyiCgK2d9O5M6xOdd/OAZOkgBoaCdNZc';
const KEY2_FP = 'SHA256:JVlsX7ywIisgSJZl7jTZGX7hJyVtGyM+Z422oOsw6/Y';
const ECDSA =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNg3O44VPjYyi2oqYKpfSQsShNDa9h8PX24jJXUzJxU38bYqSGIJDU5xnVokWWMpilP/Mzv8k8rEnBIoP7pwqLs=';
const ECDSA_FP = 'SHA256:Ahlo5i/kGMLVw2MLX4AKzgbofyAcqYrrCmd467mL5kM';
const HASHED_10_0_0_5 = '|1|GhGHqeVysXg8ABhjgFgqL65ICSo=|yzgbZ18rgT/Pk+pJpidNb6ELVSY=';
const HASHED_10_0_0_6_PORT_2222 = '|1|EboeXLzUUknDlDDqkGPjP39DHjw=|IavFKjhZ/kCQWE3nC/+jHe4xEZU=';
const blob = (base64: string) => Buffer.from(base64, 'base64');

describe('fingerprintSha256', () => {
  it('matches ssh-keygen -l', () => {
    expect(fingerprintSha256(blob(KEY1))).toBe(KEY1_FP);
    expect(fingerprintSha256(blob(KEY2))).toBe(KEY2_FP);
    expect(fingerprintSha256(blob(ECDSA))).toBe(ECDSA_FP);
  });
});

describe('keyTypeOf', () => {
  it('reads the type inside the blob, or gives "" for garbage', () => {
    expect(keyTypeOf(blob(KEY1))).toBe('ssh-ed25519');
    expect(keyTypeOf(blob(ECDSA))).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOf(Buffer.from('nonsense'))).toBe('');
    expect(keyTypeOf(Buffer.alloc(2))).toBe('');
  });
});

describe('parseKnownHosts', () => {
  it('keeps key lines with their line numbers; drops comments, blanks, @cert-authority and malformed lines', () => {
    const text = [
      '# a comment',
      '',
      `10.0.0.5,vm1.lab ssh-ed25519 ${KEY1} grader@host`,
      `@cert-authority *.lab ssh-ed25519 ${KEY2}`,
      `@revoked * ssh-ed25519 ${KEY2}`,
      `broken ssh-rsa ${KEY1}`, // the type does not match the key
      '10.0.0.7 1024 35 1234567', // SSH-1 RSA
      'only-a-host',
      `   [10.0.0.6]:2222   ecdsa-sha2-nistp256   ${ECDSA}`,
    ].join('\n');
    expect(parseKnownHosts(text).map(({ revoked, hosts, keyType, line }) => ({ revoked, hosts, keyType, line }))).toEqual([
      { revoked: false, hosts: '10.0.0.5,vm1.lab', keyType: 'ssh-ed25519', line: 3 },
      { revoked: true, hosts: '*', keyType: 'ssh-ed25519', line: 5 },
      { revoked: false, hosts: '[10.0.0.6]:2222', keyType: 'ecdsa-sha2-nistp256', line: 9 },
    ]);
  });
});

describe('host names and patterns', () => {
  it('names non-22 ports [host]:port, lower case', () => {
    expect(knownHostsName('VM1.Lab', 22)).toBe('vm1.lab');
    expect(knownHostsName('10.0.0.6', 2222)).toBe('[10.0.0.6]:2222');
  });

  it.each([
    ['10.0.0.5', '10.0.0.5', true],
    ['10.0.0.50', '10.0.0.5', false],
    ['vm3.lab,10.0.0.5', '10.0.0.5', true],
    ['VM1.LAB', 'vm1.lab', true],
    ['10.0.0.5', '[10.0.0.5]:2222', false],
    ['[10.0.0.5]:2222', '[10.0.0.5]:2222', true],
    ['10.0.0.*', '10.0.0.42', true],
    ['10.0.0.?', '10.0.0.42', false],
    ['10.0.0.*,!10.0.0.1', '10.0.0.1', false],
    ['10.0.0.*,!10.0.0.1', '10.0.0.2', true],
    [HASHED_10_0_0_5, '10.0.0.5', true],
    [HASHED_10_0_0_5, '10.0.0.6', false],
    [HASHED_10_0_0_6_PORT_2222, '[10.0.0.6]:2222', true],
    [HASHED_10_0_0_6_PORT_2222, '10.0.0.6', false],
  ])('%s names %s: %s', (field, name, expected) => {
    expect(hostFieldMatches(field, name)).toBe(expected);
  });
});

describe('checkHostKey', () => {
  const entries = parseKnownHosts(`vm ssh-ed25519 ${KEY1}\n@revoked vm ssh-ed25519 ${KEY2}\n`);
  it.each([
    ['the recorded key', entries, 'ssh-ed25519', KEY1, 'match'],
    ['a revoked key', entries, 'ssh-ed25519', KEY2, 'revoked'],
    ['another key of the same type', entries.slice(0, 1), 'ssh-ed25519', KEY2, 'mismatch'],
    ['a key of another type while one is known', entries.slice(0, 1), 'ecdsa-sha2-nistp256', ECDSA, 'mismatch'],
    ['any key when only a revoked one is listed', entries.slice(1), 'ecdsa-sha2-nistp256', ECDSA, 'unknown'],
    ['any key of an unlisted host', [], 'ssh-ed25519', KEY1, 'unknown'],
  ] as const)('%s -> %s', (_, list, type, key, verdict) => {
    expect(checkHostKey(list, type, blob(key))).toBe(verdict);
  });
});

describe('KnownHosts (file-backed)', () => {
  const dir = tempDir('known-hosts-');

  it('treats a missing file as empty and creates it, and its directory, mode 0600 on add', async () => {
    const path = join(dir(), 'sub', 'known_hosts');
    const store = await KnownHosts.load(path);
    expect(store.check('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1))).toBe('unknown');
    await store.add('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1));
    expect(await readFile(path, 'utf8')).toBe(`10.0.0.5 ssh-ed25519 ${KEY1}\n`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(store.check('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1))).toBe('match');
    expect((await KnownHosts.load(path)).check('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1))).toBe('match');
  });

  it('says, one line per key, what it recorded in the file (never a silent change to ~/.ssh/known_hosts)', async () => {
    const path = join(dir(), 'said', 'known_hosts');
    const heard: string[] = [];
    const store = await KnownHosts.load(path, (line) => heard.push(line));
    await store.add('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1));
    await store.add('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1)); // known by now: nothing written, nothing said
    await store.add('10.0.0.6', 2222, 'ssh-ed25519', blob(KEY2));
    expect(heard).toEqual([
      expect.stringMatching(new RegExp(`^recorded the new host key of 10\\.0\\.0\\.5 \\(ssh-ed25519 SHA256:\\S+\\) in ${path.replace(/[.]/g, '\\.')}:1$`)),
      expect.stringMatching(/^recorded the new host key of \[10\.0\.0\.6\]:2222 .*:2$/),
    ]);
  });

  it('reads hashed OpenSSH entries', async () => {
    const path = join(dir(), 'known_hosts');
    await writeFile(path, `${HASHED_10_0_0_5} ssh-ed25519 ${KEY1}\n${HASHED_10_0_0_6_PORT_2222} ssh-ed25519 ${KEY2}\n`);
    const store = await KnownHosts.load(path);
    expect(store.check('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1))).toBe('match');
    expect(store.check('10.0.0.6', 2222, 'ssh-ed25519', blob(KEY2))).toBe('match');
    expect(store.check('10.0.0.6', 2222, 'ssh-ed25519', blob(KEY1))).toBe('mismatch');
    expect(store.check('10.0.0.6', 22, 'ssh-ed25519', blob(KEY2))).toBe('unknown');
  });

  it('appends after a last line without newline, and knows the new line number', async () => {
    const path = join(dir(), 'known_hosts');
    await writeFile(path, `# mine\nother ssh-ed25519 ${KEY2}`);
    const store = await KnownHosts.load(path);
    await store.add('10.0.0.6', 2222, 'ecdsa-sha2-nistp256', blob(ECDSA));
    expect(await readFile(path, 'utf8')).toBe(`# mine\nother ssh-ed25519 ${KEY2}\n[10.0.0.6]:2222 ecdsa-sha2-nistp256 ${ECDSA}\n`);
    expect(store.lookup('10.0.0.6', 2222)).toMatchObject([{ line: 3, keyType: 'ecdsa-sha2-nistp256' }]);
  });

  it('serialises concurrent adds into whole lines, each host once', async () => {
    const path = join(dir(), 'known_hosts');
    const store = await KnownHosts.load(path);
    const hosts = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1'];
    await Promise.all(hosts.map((h) => store.add(h, 22, 'ssh-ed25519', blob(KEY1))));
    expect(await readFile(path, 'utf8')).toBe(['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((h) => `${h} ssh-ed25519 ${KEY1}\n`).join(''));
  });

  it('marks a key recorded on first use, which then matches but is not vouched for', async () => {
    const path = join(dir(), 'known_hosts');
    await writeFile(path, `10.0.0.5 ssh-ed25519 ${KEY1} lab image\n`);
    const store = await KnownHosts.load(path);
    await store.add('10.0.0.6', 22, 'ssh-ed25519', blob(KEY2), { firstUse: true });
    expect(await readFile(path, 'utf8')).toContain(`10.0.0.6 ssh-ed25519 ${KEY2} ${FIRST_USE_MARK}\n`);
    for (const reread of [store, await KnownHosts.load(path)]) {
      expect(reread.check('10.0.0.6', 22, 'ssh-ed25519', blob(KEY2))).toBe('match');
      expect(reread.vouchedFor('10.0.0.6', 22, 'ssh-ed25519', blob(KEY2))).toBe(false);
      expect(reread.vouchedFor('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1))).toBe(true);
      expect(reread.vouchedFor('10.0.0.5', 22, 'ssh-ed25519', blob(KEY2))).toBe(false);
    }
  });

  it('formats the line OpenSSH would write', () => {
    expect(formatKnownHostsLine('10.0.0.5', 22, 'ssh-ed25519', blob(KEY1))).toBe(`10.0.0.5 ssh-ed25519 ${KEY1}\n`);
    expect(formatKnownHostsLine('10.0.0.6', 2222, 'ssh-ed25519', blob(KEY1))).toBe(`[10.0.0.6]:2222 ssh-ed25519 ${KEY1}\n`);
  });
});
