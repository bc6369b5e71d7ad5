import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStopped, parseLeases, parseNames } from './virsh-output.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('parseLeases', () => {
  it('reads `virsh -q domifaddr DOMAIN --source lease` (recorded from a router VM)', () => {
    expect(parseLeases(fixture('domifaddr-router.txt'))).toEqual([
      { mac: '52:54:00:00:02:01', address: '10.124.0.171', prefix: 24 },
      { mac: '52:54:00:00:02:02', address: '10.125.0.172', prefix: 24 },
      { mac: '52:54:00:00:02:03', address: '10.126.0.173', prefix: 24 },
    ]);
  });

  it('reads `virsh -q net-dhcp-leases NETWORK` (recorded)', () => {
    expect(parseLeases(fixture('net-dhcp-leases-internal1.txt'))).toEqual([
      { mac: '52:54:00:00:01:02', address: '10.125.0.100', prefix: 24 },
      { mac: '52:54:00:00:02:02', address: '10.125.0.172', prefix: 24 },
    ]);
  });

  it('skips headers, IPv6 rows and NICs without an address; the last row of a MAC wins', () => {
    const text = [
      ' Name       MAC address          Protocol     Address',
      '-------------------------------------------------------------------------------',
      ' vnet0      52:54:00:AA:00:01    ipv4         10.1.1.5/24',
      ' vnet0      52:54:00:aa:00:01    ipv6         fd00::5/64',
      ' vnet1      52:54:00:aa:00:02    -            -',
      ' vnet0      52:54:00:aa:00:01    ipv4         10.1.1.6/24',
      '',
    ].join('\n');
    expect(parseLeases(text)).toEqual([{ mac: '52:54:00:aa:00:01', address: '10.1.1.6', prefix: 24 }]);
    expect(parseLeases('')).toEqual([]);
  });
});

describe('isStopped and parseNames', () => {
  it('tells a stopped domain from a running one', () => {
    expect(isStopped('shut off\n')).toBe(true);
    expect(isStopped('crashed')).toBe(true);
    expect(isStopped('running\n')).toBe(false);
    expect(isStopped('paused')).toBe(false);
  });

  it('lists names, one a line', () => {
    expect(parseNames('a-vm1\na-router\n\n')).toEqual(['a-vm1', 'a-router']);
  });
});
