// What drops packets in a firewall: `nft -a list ruleset` (chains with a drop policy, rules that
// drop, with their handles) and `iptables -S` (policies, -j DROP/REJECT rules). Both need root: an
// unprivileged listing says so, and is `readable: false`.
export interface FirewallDrop {
  tool: 'nft' | 'iptables';
  /** nft: family and table (`inet filter`); iptables: the table (`filter`). */
  table: string;
  chain: string;
  /** nft: the chain's hook (forward, input, output, prerouting, postrouting). */
  hook?: string;
  /** The chain's own policy drops (no rule). */
  policy?: boolean;
  /** The dropping rule as listed, without its handle comment. */
  rule?: string;
  /** nft's rule handle (for `nft delete rule ... handle N`). */
  handle?: number;
  /** iptables: the rule's position in its chain, from 1. */
  position?: number;
}

export interface FirewallListing {
  readable: boolean;
  drops: FirewallDrop[];
}

const DENIED = /Operation not permitted|Permission denied|you must be root|not found|No such file/i;

export function parseNftRuleset(text: string): FirewallListing {
  if (DENIED.test(text) && !/^table /m.test(text)) return { readable: false, drops: [] };
  const drops: FirewallDrop[] = [];
  let table = '';
  let chain = '';
  let hook: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const tableMatch = /^table\s+(\S+)\s+(\S+)\s*\{/.exec(line);
    if (tableMatch) {
      table = `${tableMatch[1]} ${tableMatch[2]}`;
      continue;
    }
    const chainMatch = /^chain\s+(\S+)\s*\{/.exec(line);
    if (chainMatch) {
      chain = chainMatch[1] ?? '';
      hook = undefined;
      continue;
    }
    const typeMatch = /^type\s+\S+\s+hook\s+(\S+).*?(?:policy\s+(\w+))?;?\s*$/.exec(line);
    if (typeMatch) {
      hook = typeMatch[1];
      if (typeMatch[2] === 'drop') drops.push({ tool: 'nft', table, chain, hook, policy: true });
      continue;
    }
    const rule = /^(.*?)\s*(?:#\s*handle\s+(\d+))?$/.exec(line);
    const body = rule?.[1] ?? '';
    if (chain && /\b(drop|reject)\b/.test(body) && !/^(policy|type)\b/.test(body)) {
      drops.push({ tool: 'nft', table, chain, ...(hook ? { hook } : {}), rule: body, ...(rule?.[2] ? { handle: Number(rule[2]) } : {}) });
    }
  }
  return { readable: true, drops };
}

export function parseIptablesS(text: string, table = 'filter'): FirewallListing {
  if (DENIED.test(text) && !/^-P /m.test(text)) return { readable: false, drops: [] };
  const drops: FirewallDrop[] = [];
  const positions = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const policy = /^-P\s+(\S+)\s+(DROP|REJECT)$/.exec(line);
    if (policy) drops.push({ tool: 'iptables', table, chain: policy[1] ?? '', policy: true });
    const rule = /^-A\s+(\S+)\s+(.*)$/.exec(line);
    if (rule) {
      const chain = rule[1] ?? '';
      const position = (positions.get(chain) ?? 0) + 1;
      positions.set(chain, position);
      if (/-j\s+(DROP|REJECT)\b/.test(rule[2] ?? '')) drops.push({ tool: 'iptables', table, chain, rule: line, position });
    }
  }
  return { readable: true, drops };
}
