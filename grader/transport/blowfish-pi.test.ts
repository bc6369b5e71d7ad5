import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLOWFISH_PI_PATH, BLOWFISH_STATE_WORDS, blowfishPiSource } from './blowfish-pi-source.ts';
import { piFractionWords } from './pi-fraction.ts';

describe("Blowfish's initial state", () => {
  it('starts with the P-array and S-box words Schneier published', () => {
    const words = piFractionWords(BLOWFISH_STATE_WORDS);
    expect([...words.slice(0, 4)].map((w) => w.toString(16).padStart(8, '0'))).toEqual(['243f6a88', '85a308d3', '13198a2e', '03707344']);
    expect(words[17]!.toString(16)).toBe('8979fb1b'); // P18
    expect(words[18]!.toString(16)).toBe('d1310ba6'); // S1[0]
  });

  it('is what scripts/write-blowfish-pi.ts writes: blowfish-pi.ts is neither stale nor edited', () => {
    expect(readFileSync(BLOWFISH_PI_PATH, 'utf8')).toBe(blowfishPiSource());
  });
});
