import { describe, expect, it } from 'vitest';
import { sanitizeLine, sanitizeText } from './sanitize.ts';
import { HOSTILE_OUTPUT } from '../../test/support/sample-report.ts';

// Everything XML 1.0 forbids, plus the escape and C1 characters a terminal would act on.
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('sanitizeText', () => {
  it.each([
    ['SGR colour', '\x1b[31mred\x1b[0m', 'red'],
    ['SGR with many parameters', '\x1b[1;38;5;196mx\x1b[m', 'x'],
    ['private CSI (cursor)', '\x1b[?25lhidden\x1b[?25h', 'hidden'],
    ['erase line', 'a\x1b[2Kb', 'ab'],
    ['OSC ended by BEL', '\x1b]0;title\x07text', 'text'],
    ['OSC ended by ESC \\', '\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\', 'link'],
    ['unterminated OSC stops at the line end', '\x1b]0;title\nnext', '\nnext'],
    ['DCS string', '\x1bPq#0;2;0;0;0\x1b\\after', 'after'],
    ['two-character ESC sequences', '\x1b7saved\x1b8 \x1bc\x1bM', 'saved '],
    ['charset designation', '\x1b(Babc', 'abc'],
    ['C1 CSI', '\x9b1mbold\x9b0m', 'bold'],
    ['C1 OSC', '\x9d0;t\x9cx', 'x'],
    ['truncated CSI at the end', 'abc\x1b[31', 'abc'],
    ['lone ESC', 'a\x1b', 'a'],
  ])('strips %s', (_name, input, expected) => {
    expect(sanitizeText(input)).toBe(expected);
  });

  it('removes the control characters XML 1.0 forbids and keeps tab and newline', () => {
    expect(sanitizeText('a\x00b\x07c\bd\x0be\x0cf\x1fg\th\ni')).toBe('abcdefg\th\ni');
    expect(sanitizeText('del\x7f c1\x85\x9f')).toBe('del c1');
  });

  it('removes U+FFFE, U+FFFF and lone surrogates, keeps surrogate pairs', () => {
    expect(sanitizeText('x\ufffey\uffffz')).toBe('xyz');
    expect(sanitizeText('a\ud800b\udc00c\ud83d\ude00')).toBe('abc\ud83d\ude00');
    expect(sanitizeText('end\ud83d')).toBe('end');
  });

  it('turns CRLF and CR into LF', () => {
    expect(sanitizeText('a\r\nb\rc\n\r\nd')).toBe('a\nb\nc\n\nd');
  });

  it('keeps ordinary text, markup characters and Unicode untouched', () => {
    const text = 'ping 10.0.3.2: ttl=63 <ok> & "quoted" ]]> café → ✔';
    expect(sanitizeText(text)).toBe(text);
  });

  it('leaves no escape, no forbidden character and no `[31m` remnant in hostile output', () => {
    const clean = sanitizeText(HOSTILE_OUTPUT);
    expect(clean).not.toMatch(FORBIDDEN);
    expect(clean).not.toMatch(/\[\d*(;\d+)*m|\[\?25[lh]|\]0;|\]8;;/);
    expect(clean).toContain('red hidden-cursor');
    expect(clean).toContain('link');
    expect(clean).toContain('crlf\nlf\ncr\nend');
    expect(clean).toContain('ok-pair\ud83d\ude00');
  });

  it('is idempotent', () => {
    const once = sanitizeText(HOSTILE_OUTPUT);
    expect(sanitizeText(once)).toBe(once);
  });
});

describe('sanitizeLine', () => {
  it('collapses whitespace and line breaks into single spaces', () => {
    expect(sanitizeLine('  two\r\nlines\tand\x1b[1m  more ')).toBe('two lines and more');
  });
});

describe('bidirectional controls', () => {
  // U+202E (right-to-left override) makes `gpj.exe` read `exe.jpg`, a name read backwards, a
  // score shown as another; the isolates and marks do the same more quietly.
  const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];

  it.each(BIDI.map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`, c]))('strips %s', (_name, c) => {
    expect(sanitizeText(`eth${c}1 Bob${c}`)).toBe('eth1 Bob');
    expect(sanitizeLine(`  Alice ${c} `)).toBe('Alice');
  });

  it('keeps right-to-left letters themselves (a name in Arabic or Hebrew is no attack)', () => {
    expect(sanitizeText('سارة שרה')).toBe('سارة שרה');
  });
});
