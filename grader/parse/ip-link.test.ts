import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseIpLinkOneline } from './ip-link.ts';

describe('parseIpLinkOneline', () => {
  it('reads the UP flag, the carrier, the state and the bridge of each link', () => {
    const links = parseIpLinkOneline(fixture('observations/ip-o-link-bridge-down.txt'));
    expect(links.map((l) => l.name)).toEqual(['lo', 'b', 'a', 'br0', 'd', 'c']);
    expect(links.find((l) => l.name === 'a')).toEqual({ name: 'a', adminUp: false, lowerUp: false, state: 'DOWN', mtu: 1500 });
    expect(links.find((l) => l.name === 'b')).toMatchObject({ adminUp: true, lowerUp: false, state: 'LOWERLAYERDOWN', master: 'br0' });
    expect(links.find((l) => l.name === 'c')).toMatchObject({ adminUp: true, lowerUp: true, state: 'UP' });
    expect(links.find((l) => l.name === 'c')?.master).toBeUndefined();
  });

  it("reads each link's MTU (the reference lab's router with one NIC at 1400)", () => {
    const links = parseIpLinkOneline(fixture('observations/ip-o-link-mtu-1400.txt'));
    expect(links.map((l) => [l.name, l.mtu])).toEqual([['lo', 65536], ['ens3', 1500], ['ens4', 1500], ['ens5', 1400]]);
  });

  it('skips lines that are no link', () => {
    expect(parseIpLinkOneline('Welcome!\nCannot find device "x"\n')).toEqual([]);
  });
});
