// `ip -o link show` (iproute2, one line per link): the administrative flag UP, the operational
// state, the bridge a port is enslaved to. BusyBox `ip -o link` prints the same line shape.
export interface LinkState {
  name: string;
  /** The link is administratively up (`ip link set IF up`): the flag UP. */
  adminUp: boolean;
  /** The link has a carrier: LOWER_UP. */
  lowerUp: boolean;
  /** Operational state: UP, DOWN, LOWERLAYERDOWN, UNKNOWN. */
  state?: string;
  /** The bridge (or bond) this link is a port of. */
  master?: string;
  /** The link's MTU in bytes. */
  mtu?: number;
}

const LINE = /^\d+:\s+([^:@\s]+)(?:@[^:\s]+)?:\s+<([^>]*)>(.*)$/;

// Lines that are not links (a login script's, an error) are skipped.
export function parseIpLinkOneline(text: string): LinkState[] {
  const links: LinkState[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line.trim());
    if (!match) continue;
    const [, name = '', flagText = '', rest = ''] = match;
    const flags = flagText.split(',');
    const master = /\smaster\s+(\S+)/.exec(rest)?.[1];
    const state = /\sstate\s+(\S+)/.exec(rest)?.[1];
    const mtu = Number(/\smtu\s+(\d{1,6})\b/.exec(rest)?.[1] ?? NaN);
    links.push({
      name,
      adminUp: flags.includes('UP'),
      lowerUp: flags.includes('LOWER_UP'),
      ...(state ? { state } : {}),
      ...(master ? { master } : {}),
      ...(Number.isFinite(mtu) ? { mtu } : {}),
    });
  }
  return links;
}
