import { isMac } from '../core/mac.ts';
import { ipv4ToInt, isIpv4 } from '../core/ipv4.ts';
import { ParseError } from './parse-error.ts';

// One NIC of a domain as its XML defines it (`virsh domiflist`).
export interface DomainInterface {
  /** Host-side device (vnet0) of a running domain; undefined for a stopped one. */
  device?: string;
  type: string;
  /** The network or bridge it is attached to. */
  source: string;
  /** virtio, e1000, e1000e, rtl8139... (libvirt fills in the machine's default when the XML has none). */
  model: string;
  mac: string;
}

export interface LeasedAddress {
  mac: string;
  address: string;
  prefixLength: number;
}

export interface NetworkDefinition {
  name: string;
  bridge?: string;
  /** nat, route, open...; undefined for an isolated network. */
  forwardMode?: string;
  addresses: Array<{ address: string; prefixLength: number; dhcp: boolean }>;
}


// The rows under a `virsh` table's dashed rule, split on runs of spaces.
function tableRows(text: string, what: string): string[][] {
  const lines = text.split('\n');
  const rule = lines.findIndex((l) => /^-{10,}\s*$/.test(l.trim()));
  if (rule < 1) throw new ParseError(`no ${what} table in the output`);
  return lines
    .slice(rule + 1)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(/\s+/));
}

// `virsh domiflist DOMAIN`.
export function parseDomIfList(text: string): DomainInterface[] {
  return tableRows(text, 'domiflist').map((cells) => {
    const [device = '', type = '', source = '', model = '', mac = ''] = cells;
    if (!isMac(mac)) throw new ParseError(`not a domiflist row: ${cells.join(' ')}`);
    return { ...(device !== '-' ? { device } : {}), type, source, model, mac: mac.toLowerCase() };
  });
}

// `virsh domifaddr DOMAIN --source lease|arp`: IPv4 addresses by MAC. A row without a name
// continues the interface above it (a second address).
export function parseDomIfAddr(text: string): LeasedAddress[] {
  const out: LeasedAddress[] = [];
  let mac = '';
  for (const cells of tableRows(text, 'domifaddr')) {
    if (cells.length >= 4) mac = (cells[1] ?? '').toLowerCase();
    const [protocol, cidr = ''] = cells.slice(-2);
    const [address = '', prefix] = cidr.split('/');
    if (protocol === 'ipv4' && isIpv4(address) && isMac(mac)) out.push({ mac, address, prefixLength: Number(prefix ?? 32) });
  }
  return out;
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}=['"]([^'"]*)['"]`).exec(tag)?.[1];
}

function prefixOfNetmask(netmask: string): number {
  const bits = ipv4ToInt(netmask).toString(2);
  return bits.replace(/0+$/, '').length;
}

// `virsh net-dumpxml NETWORK`: what libvirt gives the network (addresses, DHCP, forwarding).
export function parseNetworkXml(text: string): NetworkDefinition {
  const name = /<name>([^<]+)<\/name>/.exec(text)?.[1];
  if (!name || !/<network[\s>]/.test(text)) throw new ParseError('not a libvirt network definition');
  const bridge = /<bridge\b[^>]*>/.exec(text)?.[0];
  const forward = /<forward\b[^>]*>/.exec(text)?.[0];
  const addresses = [...text.matchAll(/<ip\b([^>]*?)(\/>|>([\s\S]*?)<\/ip>)/g)]
    .filter((m) => (attribute(m[1] ?? '', 'family') ?? 'ipv4') === 'ipv4')
    .map((m) => {
      const attrs = m[1] ?? '';
      const address = attribute(attrs, 'address') ?? '';
      const prefix = attribute(attrs, 'prefix');
      const netmask = attribute(attrs, 'netmask');
      return { address, prefixLength: prefix ? Number(prefix) : netmask ? prefixOfNetmask(netmask) : 24, dhcp: /<dhcp\b/.test(m[3] ?? '') };
    });
  return {
    name,
    ...(bridge && attribute(bridge, 'name') ? { bridge: attribute(bridge, 'name') } : {}),
    ...(forward ? { forwardMode: attribute(forward, 'mode') ?? 'nat' } : {}),
    addresses,
  };
}

// What `virsh dumpxml DOMAIN` says a copy would keep: the domain's UUID and its disk image files.
export function parseDomainIdentity(xml: string): { uuid?: string; diskImages: string[] } {
  if (!/<domain\b/.test(xml)) throw new ParseError('not a domain definition');
  const uuid = /<uuid>\s*([0-9a-f-]{36})\s*<\/uuid>/i.exec(xml)?.[1]?.toLowerCase();
  const diskImages: string[] = [];
  for (const disk of xml.matchAll(/<disk\b[^>]*\bdevice=['"]disk['"][^>]*>([\s\S]*?)<\/disk>/g)) {
    const file = /<source\b[^>]*\b(?:file|dev)=['"]([^'"]+)['"]/.exec(disk[1] ?? '')?.[1];
    if (file) diskImages.push(file);
  }
  return { ...(uuid ? { uuid } : {}), diskImages };
}

// One row of `virsh list --all`: a domain and its state (running, shut off, paused...).
export interface DomainState {
  name: string;
  state: string;
}

const DOMAIN_STATES = /\s+(running|idle|paused|in shutdown|shut off|crashed|pmsuspended|blocked|dying)$/;

// `virsh list --all`. The name column may hold spaces (`VM 3`): the id is the first cell and the
// state, one of libvirt's, the end of the row.
export function parseDomainList(text: string): DomainState[] {
  const lines = text.split('\n');
  const rule = lines.findIndex((l) => /^-{10,}\s*$/.test(l.trim()));
  if (rule < 1 || !/\bName\b/.test(lines[rule - 1] ?? '')) throw new ParseError('no domain list in the output');
  return lines
    .slice(rule + 1)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((row) => {
      const state = DOMAIN_STATES.exec(row);
      const id = /^(\d+|-)\s+/.exec(row);
      if (!state || !id) throw new ParseError(`not a domain list row: ${row}`);
      return { name: row.slice(id[0].length, state.index).trim(), state: state[1]! };
    });
}
