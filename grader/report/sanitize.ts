// Terminal escape sequences, 7-bit and C1 forms. Order matters: string sequences (OSC, DCS, SOS,
// PM, APC) and CSI before the generic two-character ESC form, which would otherwise eat `ESC [`.
// An unterminated string sequence is cut at the end of its line, not at the end of the text.
const ANSI_PATTERN = new RegExp(
  [
    // OSC / DCS / SOS / PM / APC, ended by BEL or ST (ESC \ or C1 ST).
    '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^\\x07\\x1b\\x9c\\n]*(?:\\x07|\\x1b\\\\|\\x9c)?',
    // CSI: parameters, intermediates, final byte.
    '(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]?',
    // Other ESC sequences: intermediates then one final byte (ESC 7, ESC ( B, ESC c, ...).
    '\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]?',
  ].join('|'),
  'g',
);

// C0 controls other than tab/LF/CR (forbidden by XML 1.0), DEL and C1 controls (discouraged,
// and garbage on a terminal), U+FFFE and U+FFFF (forbidden).
const CONTROL_PATTERN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]/g;

// Bidirectional embeddings, overrides, isolates and marks: U+202E shows `Bob` as `boB` and a
// score or a name backwards. Right-to-left letters themselves stay.
const BIDI_CONTROL_PATTERN = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

const LONE_SURROGATE_PATTERN = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Makes text that came from a VM safe for XML 1.0, JSON and a terminal: no escape sequences, no
// forbidden characters, no bidirectional controls, LF line ends.
export function sanitizeText(s: string): string {
  return s
    .replace(ANSI_PATTERN, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_PATTERN, '')
    .replace(BIDI_CONTROL_PATTERN, '')
    .replace(LONE_SURROGATE_PATTERN, '');
}

// sanitizeText, then all whitespace runs collapsed to one space: for names, attributes and
// console columns.
export function sanitizeLine(s: string): string {
  return sanitizeText(s).replace(/\s+/g, ' ').trim();
}
