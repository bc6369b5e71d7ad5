import type { Ipv4Address, NetworkInterface } from '../core/facts.ts';
import { isIpv4 } from '../core/ipv4.ts';
import { isMac } from '../core/mac.ts';
import { ParseError } from './parse-error.ts';
import {
  excerpt,
  isRecord,
  optionalNumber,
  optionalString,
  parseJsonOutput,
  withoutUndefined,
} from './json-output.ts';

// `ip -j addr show` (iproute2): every interface, with its IPv4 addresses only.
export function parseIpAddrJson(text: string): NetworkInterface[] {
  const entries = parseJsonOutput(text, 'ip -j addr', '[');
  if (!Array.isArray(entries)) throw new ParseError('ip -j addr: expected a JSON array');
  return entries.map((entry) => {
    if (!isRecord(entry) || typeof entry.ifname !== 'string') {
      throw new ParseError(`ip -j addr: an entry without ifname: ${excerpt(JSON.stringify(entry))}`);
    }
    const addrInfo = Array.isArray(entry.addr_info) ? entry.addr_info : [];
    const addresses: Ipv4Address[] = [];
    for (const info of addrInfo) {
      if (!isRecord(info) || info.family !== 'inet') continue;
      const address = optionalString(info.local);
      const prefixLength = optionalNumber(info.prefixlen);
      if (address === undefined || !isIpv4(address) || prefixLength === undefined) {
        throw new ParseError(`ip -j addr: malformed inet entry on ${entry.ifname}`);
      }
      addresses.push({ address, prefixLength });
    }
    const mac = entry.link_type === 'ether' ? optionalString(entry.address) : undefined;
    if (mac !== undefined) refuseFakeMac(mac, entry.ifname, 'ip -j addr');
    return withoutUndefined({ name: entry.ifname, state: optionalString(entry.operstate), mac, addresses });
  });
}

// A MAC field that is not a MAC is what a forged `ip` prints, never iproute2 nor BusyBox: refused,
// so that no such text reaches a command printed for the instructor (virsh domif-setlink).
function refuseFakeMac(mac: string, nic: string, tool: string): void {
  if (!isMac(mac)) throw new ParseError(`${tool}: the MAC of ${nic} is not a MAC address: ${excerpt(mac)}`);
}

const HEADER = /^\d+:\s+([^\s:@]+)(?:@[^\s:]*)?:\s+<[^>]*>(.*)$/;
const INET = /^\s+inet\s+(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?(?:\s+peer\s+\S+?\/(\d+))?\s/;
const ETHER = /^\s+link\/ether\s+(\S+)/;

// `ip addr show` text, from iproute2 or BusyBox (BusyBox prints no state: it stays undefined).
export function parseIpAddrText(text: string): NetworkInterface[] {
  const interfaces: NetworkInterface[] = [];
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      const state = /\bstate\s+(\S+)/.exec(header[2]!)?.[1];
      interfaces.push(withoutUndefined({ name: header[1]!, state, addresses: [] }));
      continue;
    }
    const current = interfaces.at(-1);
    if (!current) continue; // lines a login script printed before the output
    const ether = ETHER.exec(line);
    if (ether) {
      refuseFakeMac(ether[1]!, current.name, 'ip addr');
      current.mac = ether[1]!;
    }
    const inet = INET.exec(`${line} `);
    if (inet) {
      const prefix = inet[2] ?? inet[3] ?? '32';
      current.addresses.push({ address: inet[1]!, prefixLength: Number(prefix) });
    }
  }
  if (interfaces.length === 0) {
    throw new ParseError(`ip addr: no interface in output: ${excerpt(text)}`);
  }
  return interfaces;
}

// Either form, chosen by content: iproute2 JSON is one line starting with `[{` (or `[]`).
export function parseIpAddr(text: string): NetworkInterface[] {
  return /^\[[{\]]/m.test(text) ? parseIpAddrJson(text) : parseIpAddrText(text);
}
