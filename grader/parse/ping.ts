import { ParseError } from './parse-error.ts';
import { excerpt } from './json-output.ts';

export interface PingSummary {
  transmitted: number;
  received: number;
  lossPercent: number;
  /** ICMP errors instead of replies (iputils `+N errors`; BusyBox does not count them). */
  errors?: number;
  /** Replies beyond the first for a sequence number (iputils `+N duplicates`, BusyBox `N duplicates`). */
  duplicates?: number;
  rtt?: { minMs: number; avgMs: number; maxMs: number; mdevMs?: number };
  /** The TTL of each reply line, in order (duplicates included). */
  ttls: number[];
  /** Distinct addresses replies came from, in order. */
  replyFrom: string[];
  /** Distinct ICMP errors iputils printed instead of replies, e.g. the router's `Destination Net Unreachable`. */
  errorReplies: Array<{ from: string; message: string }>;
  /** The `N packets transmitted` line, and the rtt line when there is one, as printed. */
  summaryLine: string;
}

const STATISTICS = /^(\d+) packets transmitted, (\d+) (?:packets )?received\b.*?([\d.]+)% packet loss/;
const RTT = /^(?:rtt|round-trip) min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)(?:\/([\d.]+))? ms/;
// iputils `64 bytes from 10.0.2.3: icmp_seq=1 ttl=63 ...` (or `from vm3 (10.0.2.3):`), BusyBox `seq=0`.
const REPLY = /^\d+ bytes from (?:\S+ \()?(\d+\.\d+\.\d+\.\d+)\)?:.*?\bttl=(\d+)/;
// iputils `From 10.0.2.1 icmp_seq=1 Destination Net Unreachable` (or `From router (10.0.2.1) ...`).
const ERROR_REPLY = /^From (?:\S+ \()?(\d+\.\d+\.\d+\.\d+)\)?:? icmp_seq=\d+ (.+?)\s*$/;

// iputils or BusyBox `ping -c N` output; ParseError when it has no statistics (e.g. `connect: Network is unreachable`).
export function parsePing(text: string): PingSummary {
  const lines = text.split('\n').map((line) => line.trimEnd());
  const statisticsIndex = lines.findIndex((line) => STATISTICS.test(line));
  if (statisticsIndex < 0) throw new ParseError(`ping: no statistics in output: ${excerpt(text)}`);
  const statisticsLine = lines[statisticsIndex]!;
  const [, transmitted, received, loss] = STATISTICS.exec(statisticsLine)!;
  const summary: PingSummary = {
    transmitted: Number(transmitted),
    received: Number(received),
    lossPercent: Number(loss),
    ttls: [],
    replyFrom: [],
    errorReplies: [],
    summaryLine: statisticsLine,
  };
  const errors = /\+(\d+) errors/.exec(statisticsLine);
  if (errors) summary.errors = Number(errors[1]);
  const duplicates = /\+?(\d+) duplicates/.exec(statisticsLine);
  if (duplicates) summary.duplicates = Number(duplicates[1]);
  const rttLine = lines.slice(statisticsIndex + 1).find((line) => RTT.test(line));
  if (rttLine) {
    const [, min, avg, max, mdev] = RTT.exec(rttLine)!;
    summary.rtt = { minMs: Number(min), avgMs: Number(avg), maxMs: Number(max) };
    if (mdev !== undefined) summary.rtt.mdevMs = Number(mdev);
    summary.summaryLine += `\n${rttLine}`;
  }
  for (const line of lines.slice(0, statisticsIndex)) {
    const reply = REPLY.exec(line);
    if (reply) {
      summary.ttls.push(Number(reply[2]));
      if (!summary.replyFrom.includes(reply[1]!)) summary.replyFrom.push(reply[1]!);
      continue;
    }
    const error = ERROR_REPLY.exec(line);
    if (error && !summary.errorReplies.some((e) => e.from === error[1] && e.message === error[2])) {
      summary.errorReplies.push({ from: error[1]!, message: error[2]! });
    }
  }
  return summary;
}
