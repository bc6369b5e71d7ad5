import { ParseError } from './parse-error.ts';
import { parseSysctlValue } from './sysctl.ts';

/** net.ipv4.ip_forward and each NIC's net.ipv4.conf.<nic>.forwarding, as the router's kernel has them. */
export interface ForwardingValues {
  ipForward: string;
  /** By NIC name (`all`, `default` and `lo` included, as /proc lists them). */
  perNic: Record<string, string>;
}

const PER_NIC = /^net\.ipv4\.conf\.(.+)\.forwarding = (\S*)$/;

// The value of ip_forward (the last line before the per-NIC ones, so that a login script's lines
// before it do not matter), then one `net.ipv4.conf.NIC.forwarding = V` line per NIC. A NIC whose
// file answered nothing has no value (an empty string), never a guessed one.
export function parseForwarding(text: string): ForwardingValues {
  const lines = text.split('\n').map((l) => l.trim());
  const first = lines.findIndex((l) => PER_NIC.test(l));
  const ipForward = parseSysctlValue(lines.slice(0, first === -1 ? lines.length : first).join('\n'));
  if (PER_NIC.test(ipForward)) throw new ParseError('forwarding: no value of net.ipv4.ip_forward before the per-NIC values');
  const perNic: Record<string, string> = {};
  for (const line of first === -1 ? [] : lines.slice(first)) {
    const m = PER_NIC.exec(line);
    if (m) perNic[m[1]!] = m[2]!;
  }
  return { ipForward, perNic };
}
