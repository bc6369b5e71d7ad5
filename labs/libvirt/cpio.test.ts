import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cpioNewc, gzippedCpio, type CpioEntry } from './cpio.ts';
import { keyArchiveEntries } from './image.ts';

interface Parsed {
  name: string;
  mode: number;
  uid: number;
  size: number;
  data: string;
}

/** A newc reader (the kernel's view, simplified): header fields are 8 hex digits. */
function readNewc(archive: Buffer): Parsed[] {
  const out: Parsed[] = [];
  let at = 0;
  const align = (n: number): number => (n + 3) & ~3;
  for (;;) {
    expect(archive.toString('ascii', at, at + 6)).toBe('070701');
    const field = (i: number): number => parseInt(archive.toString('ascii', at + 6 + i * 8, at + 14 + i * 8), 16);
    const [mode, uid, size, nameSize] = [field(1), field(2), field(6), field(11)];
    const name = archive.toString('utf8', at + 110, at + 110 + nameSize - 1);
    const dataAt = align(at + 110 + nameSize);
    if (name === 'TRAILER!!!') return out;
    out.push({ name, mode, uid, size, data: archive.toString('utf8', dataAt, dataAt + size) });
    at = align(dataAt + size);
  }
}

const entries: CpioEntry[] = [
  { path: 'root', type: 'directory', mode: 0o700 },
  { path: 'root/.ssh/authorized_keys', type: 'file', mode: 0o600, data: 'ssh-ed25519 AAAA x\n' },
  { path: 'etc/odd', type: 'file', mode: 0o644, data: 'abc' },
];

describe('cpioNewc', () => {
  it('writes newc records (type bits, root-owned, 4-byte aligned) and the trailer', () => {
    expect(readNewc(cpioNewc(entries))).toEqual([
      { name: 'root', mode: 0o040700, uid: 0, size: 0, data: '' },
      { name: 'root/.ssh/authorized_keys', mode: 0o100600, uid: 0, size: 19, data: 'ssh-ed25519 AAAA x\n' },
      { name: 'etc/odd', mode: 0o100644, uid: 0, size: 3, data: 'abc' },
    ]);
  });

  it('is what GNU cpio reads', () => {
    const listing = execFileSync('cpio', ['-it', '--quiet'], { input: cpioNewc(entries) }).toString();
    expect(listing.trim().split('\n')).toEqual(['root', 'root/.ssh/authorized_keys', 'etc/odd']);
  });

  it('refuses absolute paths and ..', () => {
    expect(() => cpioNewc([{ path: '/etc/x', type: 'file', mode: 0o644 }])).toThrow(/relative/);
    expect(() => cpioNewc([{ path: 'a/../../x', type: 'file', mode: 0o644 }])).toThrow(/relative/);
  });
});

describe('gzippedCpio and the key archive', () => {
  it('is gzip padded to 4 bytes, holding authorized_keys and the host key with private modes', () => {
    const archive = gzippedCpio(keyArchiveEntries('ssh-ed25519 AAAAkey grader', Buffer.from('HOSTKEY')));
    expect(archive.length % 4).toBe(0);
    const parsed = readNewc(gunzipSync(archive));
    expect(parsed.map((p) => [p.name, p.mode.toString(8)])).toEqual([
      ['root', '40700'],
      ['root/.ssh', '40700'],
      ['root/.ssh/authorized_keys', '100600'],
      ['etc', '40755'],
      ['etc/dropbear', '40755'],
      ['etc/dropbear/dropbear_ed25519_host_key', '100600'],
    ]);
    expect(parsed[2]!.data).toBe('ssh-ed25519 AAAAkey grader\n');
    expect(parsed[5]!.data).toBe('HOSTKEY');
  });
});
