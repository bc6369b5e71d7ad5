import { describe, expect, it } from 'vitest';
import type { NetworkInterface } from '../core/facts.ts';
import type { DomainInterface } from '../parse/virsh.ts';
import { domainNicOf, macOf } from './domain-nic.ts';

const guest: NetworkInterface[] = [
  { name: 'lo', mac: '00:00:00:00:00:00', addresses: [] },
  { name: 'enp1s0', mac: '52:54:00:AA:01:01', addresses: [] },
  { name: 'enp2s0', mac: '52:54:00:aa:01:02', addresses: [] },
  { name: 'wg0', addresses: [] },
];
const domain: DomainInterface[] = [
  { device: 'vnet0', type: 'network', source: 'default', model: 'virtio', mac: '52:54:00:aa:01:01' },
  { device: 'vnet1', type: 'network', source: 'internal1', model: 'e1000', mac: '52:54:00:aa:01:02' },
];

describe('domain-nic', () => {
  it("gives a guest NIC's MAC in virsh's lower case, and nothing for a NIC without one", () => {
    expect(macOf(guest, 'enp1s0')).toBe('52:54:00:aa:01:01');
    expect(macOf(guest, 'wg0')).toBeUndefined();
    expect(macOf(guest, 'enp9s0')).toBeUndefined();
  });

  it('matches a guest NIC to the domain NIC with its MAC, whatever the order', () => {
    expect(domainNicOf(guest, 'enp2s0', domain)?.source).toBe('internal1');
    expect(domainNicOf(guest, 'enp1s0', [...domain].reverse())?.model).toBe('virtio');
  });

  it('finds nothing when the MAC, the NIC or the domain is unknown', () => {
    expect(domainNicOf(guest, 'wg0', domain)).toBeUndefined();
    expect(domainNicOf(guest, 'lo', domain)).toBeUndefined();
    expect(domainNicOf(guest, 'enp1s0', undefined)).toBeUndefined();
    expect(domainNicOf(guest, 'enp1s0', domain.slice(1))).toBeUndefined();
  });
});
