// IPv4 address and subnet arithmetic, on 32-bit unsigned integers.

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export interface Subnet {
  network: string;
  prefixLength: number;
}

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

// Digits and dots only, yet not an IPv4 address (`10.122.4.1111`, `10.0.0`): a typo, never a host
// name (no top-level domain is all digits), so it must not be looked up as one.
export function looksLikeMistypedIpv4(value: string): boolean {
  return /^[0-9.]+$/.test(value) && !isIpv4(value);
}

export function ipv4ToInt(address: string): number {
  if (!isIpv4(address)) throw new Error(`not an IPv4 address: ${address}`);
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

function mask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

export function subnetOf(address: string, prefixLength: number): Subnet {
  return { network: intToIpv4((ipv4ToInt(address) & mask(prefixLength)) >>> 0), prefixLength };
}

export function formatSubnet(subnet: Subnet): string {
  return `${subnet.network}/${subnet.prefixLength}`;
}

// Accepts `A.B.C.D/N`, `A.B.C.D` (a /32) and `default` (0.0.0.0/0).
export function parseSubnet(cidr: string): Subnet {
  if (cidr === 'default') return { network: '0.0.0.0', prefixLength: 0 };
  const [address = '', prefix] = cidr.split('/');
  const prefixLength = prefix === undefined ? 32 : Number(prefix);
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new Error(`not an IPv4 subnet: ${cidr}`);
  }
  return subnetOf(address, prefixLength);
}

export function subnetContains(subnet: Subnet, address: string): boolean {
  const m = mask(subnet.prefixLength);
  return ((ipv4ToInt(address) & m) >>> 0) === ((ipv4ToInt(subnet.network) & m) >>> 0);
}

export function subnetsOverlap(a: Subnet, b: Subnet): boolean {
  const shorter = a.prefixLength <= b.prefixLength ? a : b;
  const longer = shorter === a ? b : a;
  return subnetContains(shorter, longer.network);
}

/** The address `host` inside `subnet`, e.g. host 1 of 10.10.1.0/24 is 10.10.1.1. */
export function hostAddress(subnet: Subnet, host: number): string {
  const size = 2 ** (32 - subnet.prefixLength);
  if (!Number.isInteger(host) || host < 0 || host >= size) {
    throw new Error(`host ${host} is outside ${formatSubnet(subnet)}`);
  }
  return intToIpv4((ipv4ToInt(subnet.network) + host) >>> 0);
}
