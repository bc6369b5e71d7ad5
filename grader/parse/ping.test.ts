import { describe, expect, it } from 'vitest';
import { fixture as recorded } from '../../test/support/test-files.ts';
import { parsePing } from './ping.ts';
import { ParseError } from './parse-error.ts';

const fixture = (name: string) => recorded(`ping/${name}`);

describe('parsePing', () => {
  it('reads iputils ping through the router: ttl 63', () => {
    expect(parsePing(fixture('iputils-via-router.txt'))).toStrictEqual({
      transmitted: 3,
      received: 3,
      lossPercent: 0,
      rtt: { minMs: 0.057, avgMs: 0.191, maxMs: 0.46, mdevMs: 0.189 },
      ttls: [63, 63, 63],
      replyFrom: ['10.0.2.3'],
      errorReplies: [],
      summaryLine:
        '3 packets transmitted, 3 received, 0% packet loss, time 408ms\n' +
        'rtt min/avg/max/mdev = 0.057/0.191/0.460/0.189 ms',
    });
  });

  it('reads BusyBox ping through the router: round-trip line without mdev', () => {
    expect(parsePing(fixture('busybox-via-router.txt'))).toStrictEqual({
      transmitted: 3,
      received: 3,
      lossPercent: 0,
      rtt: { minMs: 0.023, avgMs: 0.061, maxMs: 0.081 },
      ttls: [63, 63, 63],
      replyFrom: ['10.0.2.3'],
      errorReplies: [],
      summaryLine:
        '3 packets transmitted, 3 packets received, 0% packet loss\n' +
        'round-trip min/avg/max = 0.023/0.061/0.081 ms',
    });
  });

  it('skips the lines a .bashrc printed before the output', () => {
    expect(parsePing(fixture('iputils-via-router-bashrc-noise.txt'))).toMatchObject({ received: 2, ttls: [63, 63] });
  });

  it.each(['iputils-no-return-route.txt', 'busybox-no-return-route.txt'])('reads 100%% loss without rtt from %s', (name) => {
    const ping = parsePing(fixture(name));
    expect(ping).toMatchObject({ transmitted: 2, received: 0, lossPercent: 100, ttls: [], replyFrom: [] });
    expect(ping.rtt).toBeUndefined();
    expect(ping.errors).toBeUndefined();
  });

  it('reads +3 errors when vm1 gets no ARP answer on its own network', () => {
    const ping = parsePing(fixture('iputils-host-unreachable.txt'));
    expect(ping).toMatchObject({ transmitted: 3, received: 0, errors: 3, lossPercent: 100, replyFrom: [] });
    expect(ping.errorReplies).toEqual([{ from: '10.0.1.2', message: 'Destination Host Unreachable' }]);
    expect(ping.summaryLine).toBe('3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 1020ms');
  });

  it('reads the router answering that it has no route', () => {
    const ping = parsePing(fixture('iputils-net-unreachable.txt'));
    expect(ping).toMatchObject({ transmitted: 2, received: 0, errors: 2, lossPercent: 100 });
    expect(ping.errorReplies).toEqual([{ from: '10.0.2.1', message: 'Destination Net Unreachable' }]);
  });

  it('reads a prohibit route on the router', () => {
    expect(parsePing(fixture('iputils-packet-filtered.txt')).errorReplies).toEqual([
      { from: '10.0.2.1', message: 'Packet filtered' },
    ]);
  });

  it('reads duplicates from a broadcast ping, with and without (DUP!) marks', () => {
    for (const name of ['iputils-broadcast.txt', 'iputils-broadcast-verbose.txt', 'busybox-broadcast.txt']) {
      const ping = parsePing(fixture(name));
      expect(ping, name).toMatchObject({ transmitted: 2, received: 2, duplicates: 1, lossPercent: 0 });
      expect(ping.ttls, name).toEqual([64, 64, 64]);
      expect(ping.replyFrom, name).toEqual(['10.0.2.1', '10.0.2.3']);
    }
  });

  it.each(['empty.txt', 'iputils-no-route.txt', 'busybox-no-route.txt'])('throws ParseError without statistics: %s', (name) => {
    expect(() => parsePing(fixture(name))).toThrow(ParseError);
  });
});
