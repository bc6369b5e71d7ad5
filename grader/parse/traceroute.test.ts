import { describe, expect, it } from 'vitest';
import { fixture as recorded } from '../../test/support/test-files.ts';
import { parseTraceroute } from './traceroute.ts';
import { ParseError } from './parse-error.ts';

const fixture = (name: string) => recorded(`traceroute/${name}`);

const addressesByHop = (name: string) => parseTraceroute(fixture(name)).hops.map((hop) => hop.addresses);

describe('parseTraceroute', () => {
  it('reads Debian traceroute through the router', () => {
    expect(parseTraceroute(fixture('debian-via-router.txt'))).toStrictEqual({
      destination: '10.0.2.3',
      hops: [
        { index: 1, addresses: ['10.0.1.1'], rttsMs: [0.048, 0.006, 0.005], annotations: [] },
        { index: 2, addresses: ['10.0.2.3'], rttsMs: [0.016, 0.007, 0.007], annotations: [] },
      ],
    });
  });

  it('reads BusyBox traceroute, where a lost probe comes before the address', () => {
    const trace = parseTraceroute(fixture('busybox-via-router.txt'));
    expect(trace.destination).toBe('10.0.2.3');
    expect(trace.hops[1]).toStrictEqual({ index: 2, addresses: ['10.0.2.3'], rttsMs: [0.006, 0.003], annotations: [] });
  });

  it('reads inetutils traceroute (`0.003ms`, no space)', () => {
    expect(parseTraceroute(fixture('inetutils-via-router.txt'))).toStrictEqual({
      destination: '10.0.2.3',
      hops: [
        { index: 1, addresses: ['10.0.1.1'], rttsMs: [0.003, 0.001, 0.001], annotations: [] },
        { index: 2, addresses: ['10.0.2.3'], rttsMs: [0.001, 0.001, 0.001], annotations: [] },
      ],
    });
  });

  it('reads tracepath: no destination, one line per probe, [LOCALHOST] skipped', () => {
    expect(parseTraceroute(fixture('tracepath-via-router.txt'))).toStrictEqual({
      hops: [
        { index: 1, addresses: ['10.0.1.1'], rttsMs: [0.063, 0.01], annotations: [] },
        { index: 2, addresses: ['10.0.2.3'], rttsMs: [0.019], annotations: [] },
      ],
    });
  });

  it.each([
    'debian-no-return-route.txt',
    'busybox-no-return-route.txt',
    'tracepath-no-return-route.txt',
  ])('reads the rows of stars after the router when vm3 has no route back: %s', (name) => {
    expect(addressesByHop(name)).toEqual([['10.0.1.1'], [], [], [], []]);
  });

  it('reads inetutils stars', () => {
    expect(addressesByHop('inetutils-no-return-route.txt')).toEqual([['10.0.1.1'], [], [], []]);
  });

  it.each(['debian-host-unreachable.txt', 'inetutils-host-unreachable.txt'])('reads !H from the router: %s', (name) => {
    const hop = parseTraceroute(fixture(name)).hops[1];
    expect(hop).toMatchObject({ index: 2, addresses: ['10.0.1.1'], annotations: ['!H'] });
    expect(hop?.rttsMs[0]).toBeGreaterThan(3000);
  });

  it.each([
    ['debian-net-unreachable.txt', '!N', [0.177, 0.103]],
    ['busybox-net-unreachable.txt', '!N', [0.007, 0.003]],
    ['debian-prohibited.txt', '!X', [0.032, 0.006]],
  ])('reads %s: the router answers %s, then is rate-limited (*)', (name, annotation, rtts) => {
    expect(parseTraceroute(fixture(name)).hops).toStrictEqual([
      { index: 1, addresses: ['10.0.2.1'], rttsMs: rtts, annotations: [annotation] },
    ]);
  });

  it('skips the lines a .bashrc printed before the output', () => {
    expect(addressesByHop('debian-via-router-bashrc-noise.txt')).toEqual([['10.0.1.1'], ['10.0.2.3']]);
    expect(addressesByHop('tracepath-bashrc-noise.txt')).toEqual([['10.0.1.1'], ['10.0.2.3']]);
  });

  it.each(['empty.txt', 'inetutils-dash-n.txt'])('throws ParseError on %s', (name) => {
    expect(() => parseTraceroute(fixture(name))).toThrow(ParseError);
  });
});
