import { describe, expect, it } from 'vitest';
import { wrapWords } from './wrap-words.ts';

describe('wrapWords', () => {
  it('wraps at spaces, never inside a word, the rest indented', () => {
    const lines = wrapWords('the route to 10.0.2.0/24 goes via 192.168.122.1, the management gateway', 40, 10, 10);
    expect(lines).toEqual(['the route to 10.0.2.0/24 goes', '          via 192.168.122.1, the', '          management gateway']);
    expect(lines.every((l, i) => (i === 0 ? l.length + 10 : l.length) <= 40)).toBe(true);
  });

  it('keeps a word longer than a line whole', () => {
    expect(wrapWords('see /sys/class/net/enp1s0/device/driver/module now', 20, 0, 2)).toEqual(['see', '  /sys/class/net/enp1s0/device/driver/module', '  now']);
  });
});
