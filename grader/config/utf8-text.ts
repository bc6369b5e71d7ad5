import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-error.ts';

// Where a byte sequence stops being UTF-8: the offset of the first byte that does not start or
// continue a well-formed sequence (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF),
// or -1 when all of it is UTF-8.
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // [length, allowed range of the second byte] by lead byte.
    const [length, low, high] =
      b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf]
      : b === 0xe0 ? [3, 0xa0, 0xbf]
      : b === 0xed ? [3, 0x80, 0x9f]
      : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf]
      : b === 0xf0 ? [4, 0x90, 0xbf]
      : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf]
      : b === 0xf4 ? [4, 0x80, 0x8f]
      : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

// A file's text when it is UTF-8 (a byte-order mark is kept for the parser to drop); else a
// ConfigError naming the file, the line and offset of the first bad byte, and `fix`. Never a
// silent guess at another encoding: Latin-1, Windows-1252 and others differ in what they make
// of the same bytes, and a wrong guess would put mojibake into a gradebook.
export async function readUtf8File(path: string, what: string, fix = 'save it as UTF-8'): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError([`${what} ${path} cannot be read${code === 'ENOENT' ? ': no such file' : ` (${code ?? 'error'})`}`]);
  }
  const bom = bytes[0] === 0xff && bytes[1] === 0xfe ? 'FF FE' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'FE FF' : undefined;
  if (bom) throw new ConfigError([`${what} ${path}: UTF-16 (byte-order mark ${bom}), not UTF-8: ${fix}`]);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const line = bytes.subarray(0, bad).filter((b) => b === 0x0a).length + 1;
    throw new ConfigError([`${what} ${path}:${line}: not UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad}): ${fix}`]);
  }
  return bytes.toString('utf8');
}
