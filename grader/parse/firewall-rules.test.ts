import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseIptablesS, parseNftRuleset } from './firewall-rules.ts';

describe('parseNftRuleset', () => {
  it('finds a dropping policy and a dropping rule with its handle', () => {
    expect(parseNftRuleset(fixture('observations/nft-a-ruleset-drop.txt'))).toEqual({
      readable: true,
      drops: [
        { tool: 'nft', table: 'inet filter', chain: 'forward', hook: 'forward', policy: true },
        { tool: 'nft', table: 'inet lossy', chain: 'postrouting', hook: 'postrouting', rule: 'oifname "c" icmp type echo-request numgen inc mod 2 0 drop', handle: 2 },
      ],
    });
  });

  it('says when the ruleset could not be read without root', () => {
    const [nft = ''] = fixture('observations/unprivileged-firewall.txt').split('\n');
    expect(parseNftRuleset(nft)).toEqual({ readable: false, drops: [] });
  });
});

describe('parseIptablesS', () => {
  it('finds a DROP policy and a DROP rule with its position', () => {
    expect(parseIptablesS(fixture('observations/iptables-S-drop.txt')).drops).toEqual([
      { tool: 'iptables', table: 'filter', chain: 'FORWARD', policy: true },
      { tool: 'iptables', table: 'filter', chain: 'FORWARD', rule: '-A FORWARD -i c -j DROP', position: 1 },
    ]);
    expect(parseIptablesS(fixture('observations/iptables-S-accept.txt'))).toEqual({ readable: true, drops: [] });
  });

  it('says when the rules could not be read without root', () => {
    expect(parseIptablesS(fixture('observations/unprivileged-firewall.txt')).readable).toBe(false);
  });
});
