import { describe, expect, it } from 'vitest';
import {
  formatSubnet,
  hostAddress,
  intToIpv4,
  ipv4ToInt,
  isIpv4,
  looksLikeMistypedIpv4,
  parseSubnet,
  subnetContains,
  subnetsOverlap,
} from './ipv4.ts';

describe('ipv4', () => {
  it('accepts dotted quads and rejects everything else', () => {
    expect(isIpv4('10.122.4.1')).toBe(true);
    for (const bad of ['10.122.4', '10.122.4.256', '10.122.4.01', '10.122.4.1.1', 'a.b.c.d', '']) {
      expect(isIpv4(bad)).toBe(false);
    }
    expect(looksLikeMistypedIpv4('10.122.4.1111')).toBe(true);
    expect(looksLikeMistypedIpv4('vm1.example.org')).toBe(false);
  });

  it('converts to and from 32-bit unsigned integers', () => {
    expect(ipv4ToInt('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4ToInt('10.0.0.1')).toBe(0x0a000001);
    expect(intToIpv4(0xc0a87a01)).toBe('192.168.122.1');
    expect(() => ipv4ToInt('10.0.0')).toThrow(/not an IPv4 address/);
  });

  it('parses subnets to their network address', () => {
    expect(parseSubnet('10.10.1.77/24')).toEqual({ network: '10.10.1.0', prefixLength: 24 });
    expect(parseSubnet('10.10.1.77')).toEqual({ network: '10.10.1.77', prefixLength: 32 });
    expect(parseSubnet('default')).toEqual({ network: '0.0.0.0', prefixLength: 0 });
    expect(formatSubnet(parseSubnet('172.16.5.9/12'))).toBe('172.16.0.0/12');
    expect(() => parseSubnet('10.0.0.0/33')).toThrow(/not an IPv4 subnet/);
    expect(() => parseSubnet('10.0.0/24')).toThrow(/not an IPv4 address/);
  });

  it('tells containment and overlap apart', () => {
    const in1 = parseSubnet('10.10.1.0/24');
    expect(subnetContains(in1, '10.10.1.254')).toBe(true);
    expect(subnetContains(in1, '10.10.2.1')).toBe(false);
    expect(subnetsOverlap(in1, parseSubnet('10.10.0.0/16'))).toBe(true);
    expect(subnetsOverlap(parseSubnet('10.10.0.0/16'), in1)).toBe(true);
    expect(subnetsOverlap(in1, parseSubnet('10.10.2.0/24'))).toBe(false);
  });

  it('numbers the hosts of a subnet', () => {
    const subnet = parseSubnet('10.124.3.0/24');
    expect(hostAddress(subnet, 1)).toBe('10.124.3.1');
    expect(hostAddress(subnet, 254)).toBe('10.124.3.254');
    expect(hostAddress(parseSubnet('10.10.0.0/16'), 258)).toBe('10.10.1.2');
    expect(() => hostAddress(subnet, 256)).toThrow(/outside 10.124.3.0\/24/);
    expect(() => hostAddress(subnet, -1)).toThrow(/outside/);
  });
});
