// Rules that rewrite the source address of what a machine sends on (masquerade, SNAT), from
// `nft -a list ruleset` and `iptables -t nat -S`: a router that translates addresses instead of
// only routing them. Both listings need root; an unprivileged one lists nothing (see
// firewall-rules.ts for how a refusal reads).

export interface NatRule {
  tool: 'nft' | 'iptables';
  /** nft: family and table (`ip nat`); iptables: `nat`. */
  table: string;
  chain: string;
  kind: 'masquerade' | 'snat';
  /** The rule as listed, without nft's handle comment. */
  rule: string;
  /** nft's rule handle (for `nft delete rule ... handle N`). */
  handle?: number;
  /** iptables: the rule's position in its chain, from 1. */
  position?: number;
  /** The NIC it applies to when leaving (`oifname`, `-o`); `negated` for `!=` / `! -o`. */
  oif?: { name: string; negated: boolean };
  /** The sources it applies to (`ip saddr`, `-s`). */
  source?: { cidr: string; negated: boolean };
}

const KIND = /\b(masquerade|snat)\b/i;

function nftOif(rule: string): NatRule['oif'] {
  const m = /\boif(?:name)?\s+(!=\s*)?"?([^"\s]+)"?/.exec(rule);
  return m ? { name: m[2]!, negated: Boolean(m[1]) } : undefined;
}

function nftSource(rule: string): NatRule['source'] {
  const m = /\bip\s+saddr\s+(!=\s*)?(\d[\d./]*)/.exec(rule);
  return m ? { cidr: m[2]!, negated: Boolean(m[1]) } : undefined;
}

// Tables iptables-nft keeps (listed by nft too, with a warning): their rules are iptables's.
function iptablesNftTables(text: string): Set<string> {
  return new Set([...text.matchAll(/table (\S+ \S+) is managed by iptables-nft/g)].map((m) => m[1]!));
}

export function parseNftNat(text: string): NatRule[] {
  const skipped = iptablesNftTables(text);
  const rules: NatRule[] = [];
  let table = '';
  let chain = '';
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
      continue;
    }
    if (!chain || skipped.has(table) || /^(type|policy|#)/.test(line)) continue;
    const m = /^(.*?)\s*(?:#\s*handle\s+(\d+))?$/.exec(line);
    const body = m?.[1] ?? '';
    const kind = KIND.exec(body)?.[1]?.toLowerCase() as NatRule['kind'] | undefined;
    if (!kind) continue;
    const oif = nftOif(body);
    const source = nftSource(body);
    rules.push({ tool: 'nft', table, chain, kind, rule: body, ...(m?.[2] ? { handle: Number(m[2]) } : {}), ...(oif ? { oif } : {}), ...(source ? { source } : {}) });
  }
  return rules;
}

export function parseIptablesNat(text: string): NatRule[] {
  const rules: NatRule[] = [];
  const positions = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const rule = /^-A\s+(\S+)\s+(.*)$/.exec(raw.trim());
    if (!rule) continue;
    const chain = rule[1]!;
    const spec = rule[2]!;
    const position = (positions.get(chain) ?? 0) + 1;
    positions.set(chain, position);
    const target = /-j\s+(MASQUERADE|SNAT)\b/.exec(spec)?.[1];
    if (!target) continue;
    const oif = /(!\s+)?-o\s+(\S+)/.exec(spec);
    const source = /(!\s+)?-s\s+(\S+)/.exec(spec);
    rules.push({
      tool: 'iptables',
      table: 'nat',
      chain,
      kind: target === 'SNAT' ? 'snat' : 'masquerade',
      rule: raw.trim(),
      position,
      ...(oif ? { oif: { name: oif[2]!, negated: Boolean(oif[1]) } } : {}),
      ...(source ? { source: { cidr: source[2]!, negated: Boolean(source[1]) } } : {}),
    });
  }
  return rules;
}
