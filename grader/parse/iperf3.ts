import { ParseError } from './parse-error.ts';
import { isRecord, optionalNumber, optionalString, parseJsonOutput, withoutUndefined } from './json-output.ts';

export interface Iperf3Report {
  /** What the receiving side measured (end.sum_received): the throughput figure to grade. */
  receiverMbps?: number;
  senderMbps?: number;
  durationSeconds?: number;
  /** TCP only. */
  retransmits?: number;
  /** UDP only: datagrams lost on the way. */
  lostPercent?: number;
  localHost?: string;
  remoteHost?: string;
  /** 'TCP' or 'UDP'. */
  protocol?: string;
  /** iperf3's own error, e.g. `unable to connect to server: Connection refused`. */
  error?: string;
}

// `iperf3 -c ... -J` (client side; a `-s -J` server's report reads the same). Mbit/s are 10^6 bit/s.
export function parseIperf3Json(text: string): Iperf3Report {
  const document = parseJsonOutput(text, 'iperf3 -J', '{');
  if (!isRecord(document)) throw new ParseError('iperf3 -J: expected a JSON object');
  const start = isRecord(document.start) ? document.start : {};
  const end = isRecord(document.end) ? document.end : {};
  const connected = Array.isArray(start.connected) && isRecord(start.connected[0]) ? start.connected[0] : {};
  const testStart = isRecord(start.test_start) ? start.test_start : {};
  const report: Iperf3Report = withoutUndefined({
    localHost: optionalString(connected.local_host),
    remoteHost: optionalString(connected.remote_host),
    protocol: optionalString(testStart.protocol),
    error: optionalString(document.error),
  });
  if (report.error !== undefined) return report;

  const sent = summary(end.sum_sent);
  const received = summary(end.sum_received);
  // iperf3 before 3.10 gives UDP clients only end.sum: the sender's rate, with the receiver's loss.
  const udp = received ? undefined : summary(end.sum);
  if (!received && !udp) throw new ParseError('iperf3 -J: no end.sum_received nor end.sum (test cut short?)');
  const lostPercent = (received ?? udp)!.lost_percent;
  const receiverBitsPerSecond = received
    ? received.bits_per_second
    : udp!.bits_per_second * (1 - (lostPercent ?? 0) / 100);
  const senderBitsPerSecond = (sent ?? udp)?.bits_per_second;
  return withoutUndefined({
    ...report,
    receiverMbps: receiverBitsPerSecond / 1e6,
    senderMbps: senderBitsPerSecond === undefined ? undefined : senderBitsPerSecond / 1e6,
    durationSeconds: (received ?? udp)!.seconds,
    retransmits: sent?.retransmits,
    lostPercent,
  });
}

interface Sum {
  bits_per_second: number;
  seconds?: number;
  retransmits?: number;
  lost_percent?: number;
}

function summary(value: unknown): Sum | undefined {
  if (!isRecord(value)) return undefined;
  const bitsPerSecond = optionalNumber(value.bits_per_second);
  if (bitsPerSecond === undefined) throw new ParseError('iperf3 -J: a summary without bits_per_second');
  return withoutUndefined({
    bits_per_second: bitsPerSecond,
    seconds: optionalNumber(value.seconds),
    retransmits: optionalNumber(value.retransmits),
    lost_percent: optionalNumber(value.lost_percent),
  });
}
