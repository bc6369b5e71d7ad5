import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseTcQdisc, shapes } from './tc-qdisc.ts';

describe('parseTcQdisc', () => {
  it('finds the rate limit among the default qdiscs', () => {
    const qdiscs = parseTcQdisc(fixture('observations/tc-qdisc-tbf.txt'));
    expect(qdiscs.map((q) => `${q.kind} ${q.device}`)).toEqual(['noqueue b', 'tbf a', 'noqueue br0', 'pfifo d', 'noqueue c']);
    const tbf = qdiscs.find((q) => q.kind === 'tbf');
    expect(tbf).toMatchObject({ device: 'a', parent: 'root', rate: '20Mbit', options: 'rate 20Mbit burst 32Kb lat 50ms' });
    expect(qdiscs.filter(shapes).map((q) => q.device)).toEqual(['a']);
  });
});
