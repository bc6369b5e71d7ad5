import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from './utf8-text.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('firstInvalidUtf8', () => {
  it('accepts ASCII, two-, three- and four-byte sequences', () => {
    expect(firstInvalidUtf8(Buffer.from('plain Zoë Łukasiewicz € 😀', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(bytes())).toBe(-1);
  });

  it.each([
    ['a Latin-1 ë', bytes(0x5a, 0x6f, 0xeb, 0x20), 2],
    ['a lone continuation byte', bytes(0x61, 0x80), 1],
    ['an overlong two-byte form of /', bytes(0xc0, 0xaf), 0],
    ['an overlong three-byte form', bytes(0x61, 0xe0, 0x80, 0x80), 1],
    ['an encoded surrogate', bytes(0xed, 0xa0, 0x80), 0],
    ['above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ['a sequence cut at the end', bytes(0x61, 0x62, 0xe2, 0x82), 2],
    ['a bad third byte', bytes(0xe2, 0x82, 0x41), 0],
    ['0xFF', bytes(0x41, 0xff), 1],
  ])('finds %s', (_name, input, offset) => {
    expect(firstInvalidUtf8(input)).toBe(offset);
    // The same verdict as the platform's strict decoder.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(input)).toThrow();
  });
});
