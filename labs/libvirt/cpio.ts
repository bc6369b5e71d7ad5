// A small cpio "newc" writer (the initramfs format), for the per-lab key archive. Pure.
import { gzipSync } from 'node:zlib';

export interface CpioEntry {
  /** Relative path inside the archive, e.g. `root/.ssh/authorized_keys`. */
  path: string;
  /** Permission bits, e.g. 0o600. */
  mode: number;
  type: 'file' | 'directory';
  /** File contents (files only). */
  data?: Buffer | string;
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function field(value: number): string {
  return value.toString(16).padStart(8, '0');
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino: number, mode: number, name: string, data: Buffer, mtime: number): Buffer {
  const nameBytes = Buffer.from(`${name}\0`);
  const header = [
    '070701',
    field(ino),
    field(mode),
    field(0), // uid: root
    field(0), // gid: root
    field(mode & S_IFDIR ? 2 : 1),
    field(mtime),
    field(data.length),
    field(0),
    field(0),
    field(0),
    field(0),
    field(nameBytes.length),
    field(0),
  ].join('');
  const head = Buffer.concat([Buffer.from(header, 'ascii'), nameBytes]);
  return Buffer.concat([head, pad4(head.length), data, pad4(data.length)]);
}

/** An uncompressed newc archive of `entries` (owned by root), ending with the trailer. */
export function cpioNewc(entries: readonly CpioEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((entry, index) => {
    if (entry.path.startsWith('/') || entry.path.split('/').includes('..')) {
      throw new Error(`cpio path must be relative and stay inside the archive: ${entry.path}`);
    }
    const data = entry.type === 'file' ? Buffer.from(entry.data ?? '') : Buffer.alloc(0);
    const mode = (entry.type === 'file' ? S_IFREG : S_IFDIR) | (entry.mode & 0o7777);
    parts.push(record(index + 1, mode, entry.path, data, mtime));
  });
  parts.push(record(0, 0, 'TRAILER!!!', Buffer.alloc(0), 0));
  return Buffer.concat(parts);
}

/** `cpioNewc` gzipped, padded to a multiple of 4 bytes (Linux accepts concatenated initramfs archives). */
export function gzippedCpio(entries: readonly CpioEntry[]): Buffer {
  const gz = gzipSync(cpioNewc(entries), { level: 9 });
  return Buffer.concat([gz, pad4(gz.length)]);
}
