// Small IPv4 arithmetic for the lab's addressing plan (no I/O).

export interface Subnet {
  /** Network address, e.g. `10.10.1.0`. */
  network: string;
  prefix: number;
}

export function ipToInt(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${address}`);
  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) throw new Error(`not an IPv4 address: ${address}`);
    value = value * 256 + octet;
  }
  return value;
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff - (2 ** (32 - prefix) - 1)) >>> 0;
}

export function parseCidr(cidr: string): Subnet {
  const [address, prefixText] = cidr.split('/');
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (address === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new Error(`not an IPv4 CIDR: ${cidr}`);
  }
  return { network: intToIp((ipToInt(address) & mask(prefix)) >>> 0), prefix };
}

export function formatCidr(subnet: Subnet): string {
  return `${subnet.network}/${subnet.prefix}`;
}

/** The address `host` inside `subnet`, e.g. host 1 of 10.10.1.0/24 is 10.10.1.1. */
export function hostAddress(subnet: Subnet, host: number): string {
  return intToIp(ipToInt(subnet.network) + host);
}

export function contains(subnet: Subnet, address: string): boolean {
  return ((ipToInt(address) & mask(subnet.prefix)) >>> 0) === ipToInt(subnet.network);
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const shorter = Math.min(a.prefix, b.prefix);
  return ((ipToInt(a.network) & mask(shorter)) >>> 0) === ((ipToInt(b.network) & mask(shorter)) >>> 0);
}
