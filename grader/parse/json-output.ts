import { ParseError } from './parse-error.ts';

// The JSON document a tool printed (`ip -j`, `iperf3 -J`), skipping lines a login script printed
// before it. `opener` is the document's first character: '[' for iproute2, '{' for iperf3.
export function parseJsonOutput(text: string, tool: string, opener: '[' | '{'): unknown {
  if (text.trim() === '') throw new ParseError(`${tool}: empty output`);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trimStart().startsWith(opener)) continue;
    try {
      return JSON.parse(lines.slice(i).join('\n'));
    } catch {
      // a noise line that happens to start with the opener, or a truncated document
    }
  }
  throw new ParseError(`${tool}: no complete JSON document in output: ${excerpt(text)}`);
}

// The start of an output, on one line, for error messages.
export function excerpt(text: string, length = 80): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > length ? `${flat.slice(0, length)}...` : flat);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

// The same object without its undefined properties, so results compare and print cleanly.
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
