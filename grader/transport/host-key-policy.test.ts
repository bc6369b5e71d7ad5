import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ed25519KeyPair } from '../../test/support/ssh-keys.ts';
import { tempDir } from '../../test/support/test-files.ts';
import { hostKeyAlgorithms, verifyHostKey } from './host-key-policy.ts';
import { fingerprintSha256, formatKnownHostsLine, KnownHosts, type HostKeyPolicy } from './known-hosts.ts';

const newKey = () => ed25519KeyPair().blob;
const recorded = newKey();
const other = newKey();
const revoked = newKey();

describe('verifyHostKey', () => {
  const dir = tempDir('host-key-policy-');
  let path: string;
  beforeEach(async () => {
    path = join(dir(), 'known_hosts');
    const lines = [
      '# VMs',
      formatKnownHostsLine('10.0.0.5', 22, 'ssh-ed25519', recorded).trim(),
      `@revoked * ssh-ed25519 ${revoked.toString('base64')}`,
    ];
    await writeFile(path, `${lines.join('\n')}\n`);
  });

  const verify = async (policy: HostKeyPolicy, host: string, keyBlob: Buffer) =>
    verifyHostKey(await KnownHosts.load(path), policy, { host, port: 22, keyBlob });

  it.each(['strict', 'accept-new', 'off'] as const)('%s accepts the recorded key', async (policy) => {
    expect(await verify(policy, '10.0.0.5', recorded)).toBeUndefined();
  });

  it.each(['strict', 'accept-new'] as const)('%s refuses a changed key, naming host, both fingerprints and the line', async (policy) => {
    const reason = await verify(policy, '10.0.0.5', other);
    expect(reason).toContain('10.0.0.5:22');
    expect(reason).toContain(`presented ssh-ed25519 ${fingerprintSha256(other)}`);
    expect(reason).toContain(`expected ssh-ed25519 ${fingerprintSha256(recorded)} (${path}:2)`);
  });

  it.each(['strict', 'accept-new'] as const)('%s refuses a revoked key', async (policy) => {
    expect(await verify(policy, '10.0.0.9', revoked)).toContain(`10.0.0.9:22 is revoked (${path}:3)`);
  });

  it('strict refuses an unknown host and records nothing', async () => {
    expect(await verify('strict', '10.0.0.9', other)).toBe(
      `host key of 10.0.0.9:22 is not in ${path} and host key checking is strict: presented ssh-ed25519 ${fingerprintSha256(other)}`,
    );
    expect(await readFile(path, 'utf8')).not.toContain('10.0.0.9');
  });

  it('accept-new accepts an unknown host without recording it (the connection records it once authenticated)', async () => {
    const before = await readFile(path, 'utf8');
    expect(await verify('accept-new', '10.0.0.9', other)).toBeUndefined();
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('off accepts changed, revoked and unknown keys without recording them', async () => {
    const before = await readFile(path, 'utf8');
    for (const [host, key] of [['10.0.0.5', other], ['10.0.0.9', revoked], ['10.0.0.10', other]] as const) {
      expect(await verify('off', host, key)).toBeUndefined();
    }
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});

describe('hostKeyAlgorithms', () => {
  it('asks first for the key types already known for the host', () => {
    expect(hostKeyAlgorithms([]).slice(0, 2)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
    expect(hostKeyAlgorithms(['ssh-rsa'])).toEqual([
      'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
      'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
    ]);
  });
});
