// Rules that rewrite the source address of what a machine sends on (masquerade, SNAT), from
// `nft -a list ruleset` and `iptables -t nat -S`: a router that translates addresses instead of
// only routing them. Both listings need root; an unprivileged one lists nothing (see
// firewall-rules.ts for how a refusal reads).
import { iptablesLines, nftLines } from './ruleset-lines.ts';


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
  return nftLines(text).flatMap((l): NatRule[] => {
    if (!('body' in l) || skipped.has(l.table)) return [];
    const kind = KIND.exec(l.body)?.[1]?.toLowerCase() as NatRule['kind'] | undefined;
    if (!kind) return [];
    const oif = nftOif(l.body);
    const source = nftSource(l.body);
    return [{ tool: 'nft', table: l.table, chain: l.chain, kind, rule: l.body, ...(l.handle !== undefined ? { handle: l.handle } : {}), ...(oif ? { oif } : {}), ...(source ? { source } : {}) }];
  });
}

export function parseIptablesNat(text: string): NatRule[] {
  return iptablesLines(text).flatMap((l): NatRule[] => {
    if ('policy' in l) return [];
    const target = /-j\s+(MASQUERADE|SNAT)\b/.exec(l.spec)?.[1];
    if (!target) return [];
    const oif = /(!\s+)?-o\s+(\S+)/.exec(l.spec);
    const source = /(!\s+)?-s\s+(\S+)/.exec(l.spec);
    return [
      {
        tool: 'iptables',
        table: 'nat',
        chain: l.chain,
        kind: target === 'SNAT' ? 'snat' : 'masquerade',
        rule: l.line,
        position: l.position,
        ...(oif ? { oif: { name: oif[2]!, negated: Boolean(oif[1]) } } : {}),
        ...(source ? { source: { cidr: source[2]!, negated: Boolean(source[1]) } } : {}),
      },
    ];
  });
}
