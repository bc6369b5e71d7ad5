import { describe, expect, it } from 'vitest';
import { addressesFromLeases, managementFromLeases, type LeasesByRole } from './addresses.ts';
import { planVmLab } from './plan.ts';

const plan = planVmLab({
  name: 'lab', slot: 0, nic: 'virtio', variant: 'good', domainType: 'qemu', stateDir: '/s', createdAt: 't',
  image: { dir: '/c', key: 'k', kernel: '/c/vmlinux', initrd: '/c/initrd.img' },
});
const lease = (mac: string, address: string) => ({ mac, address, prefix: 24 });
const full: LeasesByRole = {
  vm1: [lease('52:54:00:00:01:01', '10.124.0.99'), lease('52:54:00:00:01:02', '10.125.0.100')],
  router: [
    lease('52:54:00:00:02:01', '10.124.0.171'),
    lease('52:54:00:00:02:02', '10.125.0.172'),
    lease('52:54:00:00:02:03', '10.126.0.173'),
  ],
  vm3: [lease('52:54:00:00:03:01', '10.124.0.243'), lease('52:54:00:00:03:02', '10.126.0.244')],
};

describe('addressesFromLeases', () => {
  it('maps each NIC, by MAC, to its lease', () => {
    expect(addressesFromLeases(plan, full)).toEqual({
      waitingFor: [],
      addresses: {
        vm1: { management: '10.124.0.99', internal: '10.125.0.100' },
        router: { management: '10.124.0.171', internal1: '10.125.0.172', internal2: '10.126.0.173' },
        vm3: { management: '10.124.0.243', internal: '10.126.0.244' },
      },
    });
  });

  it('waits while a NIC has no lease, or one outside its network (stale)', () => {
    const partial: LeasesByRole = { ...full, router: [full.router[0]!, lease('52:54:00:00:02:02', '10.124.0.5')] };
    expect(addressesFromLeases(plan, partial)).toEqual({
      waitingFor: ['router internal1 (52:54:00:00:02:02)', 'router internal2 (52:54:00:00:02:03)'],
    });
  });
});

describe('managementFromLeases', () => {
  it('needs only the management NICs (a Debian guest leases its internal NICs when the student runs dhclient)', () => {
    const managementOnly: LeasesByRole = { vm1: [full.vm1[0]!], router: [full.router[0]!], vm3: [full.vm3[0]!] };
    expect(managementFromLeases(plan, managementOnly)).toEqual({
      waitingFor: [],
      management: { vm1: '10.124.0.99', router: '10.124.0.171', vm3: '10.124.0.243' },
    });
    expect(addressesFromLeases(plan, managementOnly).addresses).toBeUndefined();
    expect(managementFromLeases(plan, { ...managementOnly, vm3: [] })).toEqual({ waitingFor: ['vm3 management (52:54:00:00:03:01)'] });
  });
});
