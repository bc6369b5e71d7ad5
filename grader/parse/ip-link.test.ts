import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseIpLinkOneline } from './ip-link.ts';

describe('parseIpLinkOneline', () => {
  it('reads the UP flag, the carrier, the state and the bridge of each link', () => {
    const links = parseIpLinkOneline(fixture('observations/ip-o-link-bridge-down.txt'));
    expect(links.map((l) => l.name)).toEqual(['lo', 'b', 'a', 'br0', 'd', 'c']);
    expect(links.find((l) => l.name === 'a')).toEqual({ name: 'a', adminUp: false, lowerUp: false, state: 'DOWN' });
    expect(links.find((l) => l.name === 'b')).toMatchObject({ adminUp: true, lowerUp: false, state: 'LOWERLAYERDOWN', master: 'br0' });
    expect(links.find((l) => l.name === 'c')).toMatchObject({ adminUp: true, lowerUp: true, state: 'UP' });
    expect(links.find((l) => l.name === 'c')?.master).toBeUndefined();
  });

  it('skips lines that are no link', () => {
    expect(parseIpLinkOneline('Welcome!\nCannot find device "x"\n')).toEqual([]);
  });
});
