import { describe, expect, it } from 'vitest';
import { fixture as recorded } from '../../test/support/test-files.ts';
import { parseIpRoute, parseIpRouteJson, parseIpRouteText, parseRouteGet } from './ip-route.ts';
import { ParseError } from './parse-error.ts';

const fixture = (name: string) => recorded(`ip-route/${name}`);

// vm1's table without its unreachable/blackhole/prohibit routes, which parsers leave out.
const vm1 = [
  { destination: 'default', gateway: '192.168.122.1', device: 'enp1s0', source: '192.168.122.50', protocol: 'dhcp', metric: 100 },
  { destination: '10.0.1.0/24', device: 'enp7s0', source: '10.0.1.2', protocol: 'kernel', scope: 'link' },
  { destination: '10.0.2.0/24', gateway: '10.0.1.1', device: 'enp7s0' },
  { destination: '192.168.122.0/24', device: 'enp1s0', source: '192.168.122.50', protocol: 'kernel', scope: 'link' },
];

describe('parseIpRouteJson', () => {
  it('reads vm1: default via management, the other internal network via the router', () => {
    expect(parseIpRouteJson(fixture('iproute2-vm1.json'))).toStrictEqual(vm1);
  });

  it('reads vm3, whose default route goes to the router', () => {
    expect(parseIpRouteJson(fixture('iproute2-vm3.json'))[0]).toStrictEqual({
      destination: 'default',
      gateway: '10.0.2.1',
      device: 'ens4',
    });
  });

  it.each(['empty.txt', 'iproute2-vm1.txt'])('throws ParseError on %s', (name) => {
    expect(() => parseIpRouteJson(fixture(name))).toThrow(ParseError);
  });
});

describe('parseIpRouteText', () => {
  it('reads iproute2 text exactly as the JSON', () => {
    expect(parseIpRouteText(fixture('iproute2-vm1.txt'))).toStrictEqual(vm1);
  });

  it('reads BusyBox text, which does not print `proto`', () => {
    const withoutProtocol = vm1.map(({ protocol: _protocol, ...rest }) => rest);
    expect(parseIpRouteText(fixture('busybox-vm1.txt'))).toStrictEqual(withoutProtocol);
  });

  it('skips the lines a .bashrc printed before the table', () => {
    expect(parseIpRouteText(fixture('iproute2-vm1-bashrc-noise.txt'))).toStrictEqual(vm1);
  });

  it('reads the router, which has no default route', () => {
    expect(parseIpRouteText(fixture('iproute2-router.txt')).map((r) => [r.destination, r.device])).toEqual([
      ['10.0.1.0/24', 'eth1'],
      ['10.0.2.0/24', 'eth2'],
    ]);
  });

  it('takes empty output for an empty table, and other text for garbage', () => {
    expect(parseIpRouteText(fixture('empty.txt'))).toEqual([]);
    expect(() => parseIpRouteText('Welcome to vm1\n')).toThrow(ParseError);
    expect(() => parseIpRouteText('default via 10.0.2.1 dev ens4\nSegmentation fault\n')).toThrow(ParseError);
  });
});

describe('a multipath route (nexthop lines)', () => {
  it.each(['iproute2-vm1-multipath.txt', 'iproute2-vm1-multipath.json'])('takes the first next hop from %s', (name) => {
    expect(parseIpRoute(fixture(name))[3]).toStrictEqual({ destination: '10.0.5.0/24', gateway: '10.0.1.1', device: 'enp7s0' });
  });
});

describe('parseIpRoute', () => {
  it.each(['iproute2-vm1.json', 'iproute2-vm1.txt', 'iproute2-vm1-bashrc-noise.txt'])('picks the parser for %s', (name) => {
    expect(parseIpRoute(fixture(name))).toStrictEqual(vm1);
  });
});

describe('parseRouteGet', () => {
  const viaRouter = { destination: '10.0.2.3', gateway: '10.0.1.1', device: 'enp7s0', source: '10.0.1.2', type: 'unicast' };

  it.each(['get-via-router.txt', 'get-via-router.json', 'get-via-router-bashrc-noise.txt'])('reads the way through the router from %s', (name) => {
    expect(parseRouteGet(fixture(name))).toStrictEqual(viaRouter);
  });

  it('reads BusyBox, which prints no cache line', () => {
    expect(parseRouteGet(fixture('busybox-get-via-router.txt'))).toStrictEqual(viaRouter);
  });

  it('reads a route through the management network (the hypervisor), not the router', () => {
    expect(parseRouteGet(fixture('get-via-management.txt'))).toStrictEqual({
      ...viaRouter,
      gateway: '192.168.122.1',
      device: 'enp1s0',
      source: '192.168.122.50',
    });
  });

  it.each(['get-on-link.txt', 'get-on-link.json'])('reads a neighbour on the same network from %s', (name) => {
    expect(parseRouteGet(fixture(name))).toStrictEqual({ destination: '10.0.1.1', device: 'enp7s0', source: '10.0.1.2', type: 'unicast' });
  });

  it.each(['get-local.txt', 'get-local.json', 'busybox-get-local.txt'])('reads a local address from %s', (name) => {
    expect(parseRouteGet(fixture(name))).toStrictEqual({ destination: '10.0.1.2', device: 'lo', source: '10.0.1.2', type: 'local' });
  });

  it('reads a broadcast address', () => {
    expect(parseRouteGet(fixture('get-broadcast.txt'))).toMatchObject({ destination: '10.0.1.255', type: 'broadcast' });
  });

  it.each([
    ['get-no-route.txt', '10.0.9.9', 'unreachable'],
    ['busybox-get-no-route.txt', '10.0.9.9', 'unreachable'],
    ['get-unreachable.txt', '10.0.6.1', 'unreachable'],
    ['get-blackhole.txt', '10.0.7.1', 'blackhole'],
    ['get-prohibit.txt', '10.0.8.1', 'prohibit'],
    ['get-prohibit-json-mode.txt', '10.0.8.1', 'prohibit'],
  ])('reads the kernel error in %s', (name, destination, type) => {
    expect(parseRouteGet(fixture(name), destination)).toStrictEqual({ destination, type });
  });

  it('throws ParseError on empty output and on garbage', () => {
    expect(() => parseRouteGet(fixture('get-empty.txt'))).toThrow(ParseError);
    expect(() => parseRouteGet(fixture('get-name-not-address.txt'))).toThrow(ParseError);
    expect(() => parseRouteGet('[{"dst":"10.0.2.3","gateway":"10.0.1.1",')).toThrow(ParseError);
  });
});
