import { describe, expect, it } from 'vitest';
import { globMatches, globToRegExp } from './glob.ts';

describe('glob', () => {
  it('reads * as any run of characters, also none', () => {
    expect(globMatches('lab-*', 'lab-')).toBe(true);
    expect(globMatches('lab-*', 'lab-17')).toBe(true);
    expect(globMatches('*.example.org', 'vm1.example.org')).toBe(true);
    expect(globMatches('lab-*', 'xlab-1')).toBe(false);
  });

  it('reads ? as exactly one character', () => {
    expect(globMatches('10.0.0.?', '10.0.0.7')).toBe(true);
    expect(globMatches('10.0.0.?', '10.0.0.17')).toBe(false);
    expect(globMatches('10.0.0.?', '10.0.0.')).toBe(false);
  });

  it('matches every other character literally, the whole name only', () => {
    expect(globMatches('10.0.0.1', '10x0y0z1')).toBe(false);
    expect(globMatches('[10.0.0.1]:2222', '[10.0.0.1]:2222')).toBe(true);
    expect(globMatches('a+b(c)', 'a+b(c)')).toBe(true);
    expect(globMatches('lab', 'lab-1')).toBe(false);
    expect(globToRegExp('^$|\\').test('^$|\\')).toBe(true);
  });
});
