import { isIpv4 } from '../core/ipv4.ts';
import { ParseError } from './parse-error.ts';
import { excerpt } from './json-output.ts';

export interface TraceHop {
  index: number;
  /** Distinct responders, in order; empty for `* * *` (tracepath: `no reply`). */
  addresses: string[];
  rttsMs: number[];
  /** Distinct ICMP annotations, e.g. `!H` (host unreachable), `!N` (network), `!X` (prohibited). */
  annotations: string[];
}

export interface Trace {
  /** The address in the `traceroute to NAME (ADDRESS)` header; tracepath prints none. */
  destination?: string;
  hops: TraceHop[];
}

const HEADER = /^traceroute to \S+ \((\d+\.\d+\.\d+\.\d+)\)/;
const TRACEROUTE_HOP = /^\s*(\d+)\s+(\S.*)$/; // Debian, BusyBox, inetutils: ` 1  10.0.1.1  0.048 ms ...`
const TRACEPATH_HOP = /^\s*(\d+)\??:\s+(\S.*)$/; // tracepath: ` 1:  10.0.1.1   0.063ms`

// `traceroute` (Debian, BusyBox, inetutils) or `tracepath` output; lines before it are skipped.
export function parseTraceroute(text: string): Trace {
  const lines = text.split('\n');
  const headerIndex = lines.findIndex((line) => HEADER.test(line));
  const trace: Trace = { hops: [] };
  let hopLine = TRACEPATH_HOP;
  if (headerIndex >= 0) {
    trace.destination = HEADER.exec(lines[headerIndex]!)![1];
    hopLine = TRACEROUTE_HOP;
  }
  for (const line of lines.slice(headerIndex + 1)) {
    const match = hopLine.exec(line);
    if (!match || line.includes('[LOCALHOST]')) continue;
    const index = Number(match[1]);
    let hop = trace.hops.find((h) => h.index === index); // tracepath prints a hop once per probe
    if (!hop) {
      hop = { index, addresses: [], rttsMs: [], annotations: [] };
      trace.hops.push(hop);
    }
    readProbes(match[2]!.trim().split(/\s+/), hop);
  }
  if (trace.hops.length === 0) throw new ParseError(`traceroute: no hop in output: ${excerpt(text)}`);
  return trace;
}

// The words after the hop number: addresses, `0.048 ms` or `0.063ms`, `*`, `!H`; names are ignored.
function readProbes(words: string[], hop: TraceHop): void {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const address = word.replace(/^\((.*)\)$/, '$1');
    if (isIpv4(address)) {
      if (!hop.addresses.includes(address)) hop.addresses.push(address);
    } else if (/^\d+(\.\d+)?ms$/.test(word)) {
      hop.rttsMs.push(Number(word.slice(0, -2)));
    } else if (/^\d+(\.\d+)?$/.test(word) && words[i + 1] === 'ms') {
      hop.rttsMs.push(Number(word));
      i++;
    } else if (word.startsWith('!')) {
      if (!hop.annotations.includes(word)) hop.annotations.push(word);
    }
  }
}
