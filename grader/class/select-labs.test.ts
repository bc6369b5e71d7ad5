import { describe, expect, it } from 'vitest';
import { parseShard, selectLabs, shardOf } from './select-labs.ts';

const labs = Array.from({ length: 31 }, (_, i) => `lab${String(i + 1).padStart(2, '0')}`);

describe('selecting labs', () => {
  it('takes names and globs, in name order, each once', () => {
    expect(selectLabs(labs, { hosts: ['lab3*', 'lab01', 'lab30'], all: false })).toEqual(['lab01', 'lab30', 'lab31']);
    expect(selectLabs(labs, { all: true })).toHaveLength(31);
  });

  it('refuses a pattern that matches nothing', () => {
    expect(() => selectLabs(labs, { hosts: ['lab01', 'lba*'], all: false })).toThrow("no lab in the inventory matches 'lba*'");
  });

  it('splits a class into shards that cover every lab exactly once', () => {
    for (const total of [1, 2, 3, 7, 31, 40]) {
      const parts = Array.from({ length: total }, (_, i) => shardOf(labs, { index: i + 1, total }));
      expect(parts.flat()).toEqual(labs);
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('reads I/N and refuses anything else', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, total: 5 });
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard must be I\/N/);
  });
});
