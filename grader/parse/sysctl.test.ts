import { describe, expect, it } from 'vitest';
import { fixture as recorded } from '../../test/support/test-files.ts';
import { parseSysctlValue } from './sysctl.ts';
import { ParseError } from './parse-error.ts';

const fixture = (name: string) => recorded(`sysctl/${name}`);

describe('parseSysctlValue', () => {
  it.each([
    ['proc-ip-forward-router.txt', '1'],
    ['proc-ip-forward-vm1.txt', '0'],
    ['sysctl-router.txt', '1'],
    ['sysctl-n-vm1.txt', '0'],
    ['busybox-sysctl-router.txt', '1'],
    ['proc-ip-forward-router-bashrc-noise.txt', '1'],
  ])('reads %s', (name, value) => {
    expect(parseSysctlValue(fixture(name))).toBe(value);
  });

  it('throws ParseError on empty output and on an error message', () => {
    expect(() => parseSysctlValue(fixture('empty.txt'))).toThrow(ParseError);
    expect(() => parseSysctlValue(fixture('sysctl-misspelt-key.txt'))).toThrow(ParseError);
  });
});
