import { describe, expect, it } from 'vitest';
import { fixture as recorded } from '../../test/support/test-files.ts';
import { parseIpAddr, parseIpAddrJson, parseIpAddrText } from './ip-addr.ts';
import { ParseError } from './parse-error.ts';

const fixture = (name: string) => recorded(`ip-addr/${name}`);

const vm1 = [
  { name: 'lo', state: 'UNKNOWN', addresses: [{ address: '127.0.0.1', prefixLength: 8 }] },
  { name: 'enp1s0', state: 'UP', mac: '3a:f9:32:b8:32:a4', addresses: [{ address: '192.168.122.50', prefixLength: 24 }] },
  { name: 'enp7s0', state: 'UP', mac: '16:11:66:70:71:6d', addresses: [{ address: '10.0.1.2', prefixLength: 24 }] },
  { name: 'enp8s0', state: 'DOWN', mac: '4e:ce:cc:8b:f2:b0', addresses: [] },
];

describe('parseIpAddrJson', () => {
  it('reads vm1: IPv4 only, the veth peer suffix dropped, a NIC without IPv4 kept', () => {
    expect(parseIpAddrJson(fixture('iproute2-vm1.json'))).toStrictEqual(vm1);
  });

  it('reads the router with its two internal NICs', () => {
    const router = parseIpAddrJson(fixture('iproute2-router.json'));
    expect(router.map((i) => [i.name, i.addresses[0]?.address])).toEqual([
      ['lo', '127.0.0.1'],
      ['eth1', '10.0.1.1'],
      ['eth2', '10.0.2.1'],
    ]);
  });

  it('skips the lines a .bashrc printed before the JSON', () => {
    expect(parseIpAddrJson(fixture('iproute2-vm1-bashrc-noise.json'))).toStrictEqual(vm1);
  });

  it.each(['empty.txt', 'truncated.json', 'iproute2-vm1.txt'])('throws ParseError on %s', (name) => {
    expect(() => parseIpAddrJson(fixture(name))).toThrow(ParseError);
  });
});

describe('parseIpAddrText', () => {
  it('reads iproute2 text exactly as the JSON', () => {
    expect(parseIpAddrText(fixture('iproute2-vm1.txt'))).toStrictEqual(vm1);
  });

  it('reads BusyBox text, which prints no state and a wrong @peer name', () => {
    const withoutState = vm1.map(({ state: _state, ...rest }) => rest);
    expect(parseIpAddrText(fixture('busybox-vm1.txt'))).toStrictEqual(withoutState);
  });

  it('reads the router from BusyBox text', () => {
    const router = parseIpAddrText(fixture('busybox-router.txt'));
    expect(router.map((i) => i.name)).toEqual(['lo', 'eth1', 'eth2']);
    expect(router[2]?.addresses).toEqual([{ address: '10.0.2.1', prefixLength: 24 }]);
  });

  it.each(['empty.txt', 'iproute2-vm1.json'])('throws ParseError on %s', (name) => {
    expect(() => parseIpAddrText(fixture(name))).toThrow(ParseError);
  });
});

describe('parseIpAddr', () => {
  it.each(['iproute2-vm1.json', 'iproute2-vm1.txt', 'iproute2-vm1-bashrc-noise.json'])('picks the parser for %s', (name) => {
    expect(parseIpAddr(fixture(name)).map((i) => i.name)).toEqual(['lo', 'enp1s0', 'enp7s0', 'enp8s0']);
  });

  it('throws ParseError on truncated JSON', () => {
    expect(() => parseIpAddr(fixture('truncated.json'))).toThrow(ParseError);
  });
});

describe('a MAC that is not a MAC', () => {
  // A forged `ip` on a student's VM prints whatever it likes in the MAC field; that text would
  // otherwise reach `virsh domif-setlink DOMAIN MAC up`, a command the instructor is told to run.
  it.each([
    ['hostile-mac-vm1.json', parseIpAddrJson],
    ['hostile-mac-vm1.txt', parseIpAddrText],
  ])('%s is refused, naming the NIC', (name, parse) => {
    expect(() => parse(fixture(name))).toThrow(ParseError);
    expect(() => parse(fixture(name))).toThrow(/enp7s0.*not a MAC address/);
  });
});
