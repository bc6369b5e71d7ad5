import { fileURLToPath } from 'node:url';
import { piFractionWords } from './pi-fraction.ts';

// The text of grader/transport/blowfish-pi.ts: the 18 + 4 × 256 words Blowfish starts from, as
// base64 of their big-endian bytes.
export const BLOWFISH_PI_PATH = fileURLToPath(new URL('./blowfish-pi.ts', import.meta.url));
export const BLOWFISH_STATE_WORDS = 18 + 4 * 256;

export function blowfishPiSource(): string {
  const words = piFractionWords(BLOWFISH_STATE_WORDS);
  const bytes = Buffer.alloc(words.length * 4);
  words.forEach((word, i) => bytes.writeUInt32BE(word, i * 4));
  const base64 = bytes.toString('base64').match(/.{1,96}/g) ?? [];
  return [
    '// Written by scripts/write-blowfish-pi.ts from grader/transport/pi-fraction.ts; do not edit.',
    "// Blowfish's initial P-array (18 words) and S-boxes (4 × 256 words): the first 1,042 32-bit words",
    "// of pi's fractional part, big-endian, base64.",
    'export const BLOWFISH_PI_BASE64 = [',
    ...base64.map((line) => `  '${line}',`),
    "].join('');",
    '',
  ].join('\n');
}
