// Parsers of `virsh` text output (it has no JSON mode for these). Pure.

export interface LeasedAddress {
  mac: string;
  address: string;
  prefix: number;
}

/**
 * IPv4 rows of `virsh domifaddr DOMAIN --source lease` or `virsh net-dhcp-leases NETWORK`: any
 * row with a MAC address and an `a.b.c.d/nn` address. Later rows for one MAC win.
 */
export function parseLeases(output: string): LeasedAddress[] {
  const byMac = new Map<string, LeasedAddress>();
  for (const line of output.split('\n')) {
    const mac = /\b([0-9a-f]{2}(?::[0-9a-f]{2}){5})\b/i.exec(line)?.[1];
    const cidr = /\b(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})\b/.exec(line);
    if (!mac || !cidr || !/\bipv4\b/.test(line)) continue;
    byMac.set(mac.toLowerCase(), { mac: mac.toLowerCase(), address: cidr[1]!, prefix: Number(cidr[2]) });
  }
  return [...byMac.values()];
}

/** `virsh domstate` prints `running`, `shut off`, `crashed`, `paused`... */
export function isStopped(domstate: string): boolean {
  return /^(shut off|crashed|shutdown)$/.test(domstate.trim());
}

/** Names in `virsh list --all --name` / `virsh net-list --all --name` output. */
export function parseNames(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
