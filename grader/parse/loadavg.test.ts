import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { isLoaded, parseLoad } from './loadavg.ts';
import { ParseError } from './parse-error.ts';

describe('load average and CPU count', () => {
  it('reads a recorded busy 2-CPU machine as loaded', () => {
    const load = parseLoad(fixture('loadavg/loaded-2-cpus.txt'));
    expect(load).toEqual({ load1: 8.87, cpus: 2 });
    expect(isLoaded(load)).toBe(true);
    expect(isLoaded({ load1: 0.4, cpus: 2 })).toBe(false);
  });

  it('refuses what is not /proc/loadavg and nproc', () => {
    expect(() => parseLoad('cat: /proc/loadavg: No such file or directory\n')).toThrow(ParseError);
    expect(() => parseLoad('0.10 0.20 0.30 1/100 42\n')).toThrow(ParseError);
  });
});
