import { describe, expect, it } from 'vitest';
import { invalidLabName, isLabName } from './lab-name.ts';
import { checkSlot } from './slot.ts';
import { downEach } from './down-each.ts';

describe('lab-kit', () => {
  it('accepts 1-32 characters of a-z, 0-9 and -, nothing else', () => {
    for (const good of ['demo', 'vmdemo', 'lab-7', 'a', 'x'.repeat(32)]) expect(isLabName(good)).toBe(true);
    for (const bad of ['', 'x'.repeat(33), 'Demo', 'lab_7', 'lab 7', '../demo', 'lab.7']) expect(isLabName(bad)).toBe(false);
    expect(invalidLabName('Demo')).toBe("invalid lab name 'Demo': use 1-32 characters of a-z, 0-9 and '-'");
  });

  it('checks a slot against the number of slots', () => {
    expect(() => checkSlot(0, 200)).not.toThrow();
    expect(() => checkSlot(199, 200)).not.toThrow();
    expect(() => checkSlot(200, 200)).toThrow('slot must be an integer in 0..199, got 200');
    expect(() => checkSlot(-1, 200)).toThrow(/got -1/);
    expect(() => checkSlot(1.5, 200)).toThrow(/got 1.5/);
  });

  it('tears down every lab, going on past those that fail', async () => {
    const tried: string[] = [];
    const result = await downEach(['a', 'b', 'c', 'd'], async (name) => {
      tried.push(name);
      if (name === 'b') throw new Error('b: namespace busy');
      if (name === 'c') throw 'c: not an Error';
    });
    expect(tried).toEqual(['a', 'b', 'c', 'd']);
    expect(result).toEqual({ removed: ['a', 'd'], failures: ['b: namespace busy', 'c: not an Error'] });
  });
});
