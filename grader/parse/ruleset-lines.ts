// The rules of a firewall listing, each with where it sits: `nft -a list ruleset` (table, chain,
// the chain's hook and policy, the rule with its handle) and `iptables -S` (chain policies, and
// `-A` rules with their position in their chain). What a rule does is for its reader to say
// (firewall-rules.ts: what drops; nat-rules.ts: what rewrites source addresses).

/** An nft chain's `type ... hook H ... policy P;` line. */
export interface NftChainType {
  table: string;
  chain: string;
  hook: string;
  policy?: string;
}

/** An nft rule: its text without the handle comment, and the handle. */
export interface NftRule {
  table: string;
  chain: string;
  hook?: string;
  body: string;
  handle?: number;
}

/** The chain types and rules of a listing, in the listing's order. */
export function nftLines(text: string): Array<NftChainType | NftRule> {
  const lines: Array<NftChainType | NftRule> = [];
  let table = '';
  let chain = '';
  let hook: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const tableMatch = /^table\s+(\S+)\s+(\S+)\s*\{/.exec(line);
    if (tableMatch) {
      table = `${tableMatch[1]} ${tableMatch[2]}`;
      chain = '';
      hook = undefined;
      continue;
    }
    const chainMatch = /^chain\s+(\S+)\s*\{/.exec(line);
    if (chainMatch) {
      chain = chainMatch[1] ?? '';
      hook = undefined;
      continue;
    }
    if (!chain) continue;
    const typeMatch = /^type\s+\S+\s+hook\s+(\S+).*?(?:policy\s+(\w+))?;?\s*$/.exec(line);
    if (typeMatch) {
      hook = typeMatch[1]!;
      lines.push({ table, chain, hook, ...(typeMatch[2] ? { policy: typeMatch[2] } : {}) });
      continue;
    }
    if (line === '' || line === '}' || /^(policy|type|#)\b/.test(line)) continue;
    const rule = /^(.*?)\s*(?:#\s*handle\s+(\d+))?$/.exec(line);
    lines.push({ table, chain, ...(hook ? { hook } : {}), body: rule?.[1] ?? '', ...(rule?.[2] ? { handle: Number(rule[2]) } : {}) });
  }
  return lines;
}

/** An `iptables -S` line: a chain's policy, or a rule and its position in its chain (from 1). */
export type IptablesLine = { policy: string; chain: string } | { chain: string; spec: string; line: string; position: number };

export function iptablesLines(text: string): IptablesLine[] {
  const lines: IptablesLine[] = [];
  const positions = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const policy = /^-P\s+(\S+)\s+(\S+)$/.exec(line);
    if (policy) {
      lines.push({ chain: policy[1]!, policy: policy[2]! });
      continue;
    }
    const rule = /^-A\s+(\S+)\s+(.*)$/.exec(line);
    if (!rule) continue;
    const chain = rule[1]!;
    const position = (positions.get(chain) ?? 0) + 1;
    positions.set(chain, position);
    lines.push({ chain, spec: rule[2]!, line, position });
  }
  return lines;
}
