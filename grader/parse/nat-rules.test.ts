import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseIptablesNat, parseNftNat } from './nat-rules.ts';

describe('parseNftNat', () => {
  it('reads a masquerade on the NIC toward VM3, with its handle', () => {
    expect(parseNftNat(fixture('observations/nft-a-ruleset-masquerade.txt'))).toEqual([
      { tool: 'nft', table: 'ip nat', chain: 'postrouting', kind: 'masquerade', rule: 'oifname "ens5" masquerade', handle: 2, oif: { name: 'ens5', negated: false } },
    ]);
  });

  it('leaves the tables iptables-nft keeps to the iptables listing', () => {
    expect(parseNftNat(fixture('observations/nft-a-ruleset-iptables-nft-masquerade.txt'))).toEqual([]);
  });

  it('finds nothing in a filter ruleset or an unprivileged listing', () => {
    expect(parseNftNat(fixture('observations/nft-a-ruleset-drop.txt'))).toEqual([]);
    expect(parseNftNat(fixture('observations/unprivileged-firewall.txt'))).toEqual([]);
  });
});

describe('parseIptablesNat', () => {
  it('reads MASQUERADE and SNAT with their NIC, source and position', () => {
    expect(parseIptablesNat(fixture('observations/iptables-t-nat-S-masquerade.txt'))).toEqual([
      { tool: 'iptables', table: 'nat', chain: 'POSTROUTING', kind: 'masquerade', rule: '-A POSTROUTING -s 10.10.1.0/24 -o ens5 -j MASQUERADE', position: 1, oif: { name: 'ens5', negated: false }, source: { cidr: '10.10.1.0/24', negated: false } },
      { tool: 'iptables', table: 'nat', chain: 'POSTROUTING', kind: 'snat', rule: '-A POSTROUTING -o ens4 -j SNAT --to-source 10.10.1.183', position: 2, oif: { name: 'ens4', negated: false } },
    ]);
  });

  it('finds nothing in a filter table listing', () => {
    expect(parseIptablesNat(fixture('observations/iptables-S-drop.txt'))).toEqual([]);
  });
});
