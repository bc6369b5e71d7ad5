import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseIpNeigh, unanswered } from './ip-neigh.ts';

describe('parseIpNeigh', () => {
  it('reads answered and unanswered entries', () => {
    const entries = parseIpNeigh(fixture('observations/ip-neigh-mixed.txt'));
    expect(entries).toEqual([
      { address: '10.9.2.7', device: 'c', state: 'FAILED' },
      { address: '10.9.2.9', device: 'c', mac: '52:54:00:00:00:09', state: 'REACHABLE' },
    ]);
    expect(entries.map(unanswered)).toEqual([true, false]);
  });

  it('refuses a MAC that is not a MAC (a forged ip): the entry is kept without it', () => {
    expect(parseIpNeigh(fixture('observations/ip-neigh-hostile-mac.txt'))).toEqual([
      { address: '10.9.2.7', device: 'c', state: 'FAILED' },
      { address: '10.9.2.9', device: 'c', state: 'REACHABLE' },
    ]);
  });

  it('reads an entry still being resolved', () => {
    expect(parseIpNeigh(fixture('observations/ip-neigh-incomplete.txt'))).toEqual([{ address: '10.9.2.7', device: 'c', state: 'FAILED' }]);
    expect(unanswered({ address: '10.0.0.1', state: 'INCOMPLETE' })).toBe(true);
  });
});
