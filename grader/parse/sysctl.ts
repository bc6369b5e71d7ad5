import { ParseError } from './parse-error.ts';
import { excerpt } from './json-output.ts';

// The value from `cat /proc/sys/net/ipv4/ip_forward`, `sysctl -n KEY` or `sysctl KEY` (`KEY = 1`):
// the last line, so that a login script's lines before it do not matter.
export function parseSysctlValue(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
  if (line === undefined) throw new ParseError('sysctl: empty output');
  if (/^[\w.-]+: /.test(line)) throw new ParseError(`sysctl: an error, not a value: ${excerpt(line)}`);
  return /^[\w./-]+\s*=\s*(.*)$/.exec(line)?.[1] ?? line;
}
