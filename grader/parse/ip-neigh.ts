// `ip neigh show`: which addresses answered ARP on which NIC (REACHABLE, STALE...) and which did
// not (FAILED, INCOMPLETE: nobody has that address on that network).
import { isMac } from '../core/mac.ts';

export interface Neighbour {
  address: string;
  device?: string;
  mac?: string;
  /** The last word: REACHABLE, STALE, DELAY, PROBE, FAILED, INCOMPLETE, PERMANENT, NOARP. */
  state?: string;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function parseIpNeigh(text: string): Neighbour[] {
  const entries: Neighbour[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    const address = words[0] ?? '';
    if (!IPV4.test(address)) continue;
    const after = (key: string) => {
      const i = words.indexOf(key);
      return i >= 0 ? words[i + 1] : undefined;
    };
    const last = words.at(-1);
    const state = last && /^[A-Z_]+$/.test(last) ? last : undefined;
    const device = after('dev');
    // A MAC that is not a MAC is what a forged `ip` prints: not kept, so that no command is built from it.
    const lladdr = after('lladdr');
    const mac = lladdr !== undefined && isMac(lladdr) ? lladdr : undefined;
    entries.push({ address, ...(device ? { device } : {}), ...(mac ? { mac } : {}), ...(state ? { state } : {}) });
  }
  return entries;
}

/** The neighbour entry states that mean no machine answered for the address. */
export function unanswered(n: Neighbour): boolean {
  return n.state === 'FAILED' || n.state === 'INCOMPLETE';
}
