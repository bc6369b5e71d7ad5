import { ParseError } from './parse-error.ts';

// One NIC of a running domain as its hypervisor counted it (`virsh domifstat DOMAIN DEV`), from
// the guest's point of view (libvirt swaps the tap device's own counters): `rx` is what the guest
// received, `tx` what it sent.
export interface DomainNicCounters {
  device: string;
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
}

const FIELDS = { rx_bytes: 'rxBytes', rx_packets: 'rxPackets', tx_bytes: 'txBytes', tx_packets: 'txPackets' } as const;

// Lines `DEV NAME VALUE` (rx_bytes, rx_packets, rx_errs, rx_drop, tx_...); the four traffic
// counters must all be there, for `device`.
export function parseDomIfStat(text: string, device: string): DomainNicCounters {
  const counters: Partial<DomainNicCounters> = { device };
  for (const line of text.split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (cells.length !== 3 || cells[0] !== device) continue;
    const field = FIELDS[cells[1] as keyof typeof FIELDS];
    if (!field) continue;
    if (!/^\d+$/.test(cells[2]!)) throw new ParseError(`not a counter: ${line.trim()}`);
    counters[field] = Number(cells[2]);
  }
  const missing = Object.keys(FIELDS).filter((name) => counters[FIELDS[name as keyof typeof FIELDS]] === undefined);
  if (missing.length > 0) throw new ParseError(`virsh domifstat gave no ${missing.join(', ')} for ${device}`);
  return counters as DomainNicCounters;
}
