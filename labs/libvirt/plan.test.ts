import { describe, expect, it } from 'vitest';
import { namedLabs } from './naming.ts';
import { derivedUuid, MAX_SLOTS, planVmLab, VM_ROLES, type VmAddresses, type VmPlanInput } from './plan.ts';
import { dhcpSteps, studentSteps } from './student-steps.ts';

const input: VmPlanInput = {
  name: 'lab7',
  slot: 3,
  nic: 'virtio',
  variant: 'good',
  domainType: 'qemu',
  stateDir: '/home/teacher/router-lab-grader/.lab/lab7',
  createdAt: '2026-01-02T03:04:05.000Z',
  image: { dir: '/c/k', key: 'k', kernel: '/c/k/vmlinux', initrd: '/c/k/initrd.img' },
};

const addresses: VmAddresses = {
  vm1: { management: '10.124.3.10', internal: '10.125.3.11' },
  router: { management: '10.124.3.20', internal1: '10.125.3.21', internal2: '10.126.3.22' },
  vm3: { management: '10.124.3.30', internal: '10.126.3.31' },
};

describe('planVmLab', () => {
  const plan = planVmLab(input);

  it('gives each network its own /24 of the slot, a bridge of at most 15 characters and the .1', () => {
    expect(plan.networks.management).toMatchObject({
      name: 'lab7-management', bridge: 'rlv-3-mgmt', subnet: '10.124.3.0/24', address: '10.124.3.1',
      dhcpStart: '10.124.3.2', dhcpEnd: '10.124.3.254', gateway: '10.124.3.1',
    });
    expect(plan.networks.internal1).toMatchObject({ name: 'lab7-internal1', bridge: 'rlv-3-in1', subnet: '10.125.3.0/24' });
    expect(plan.networks.internal2).toMatchObject({ name: 'lab7-internal2', bridge: 'rlv-3-in2', subnet: '10.126.3.0/24' });
    expect(plan.networks.internal1.gateway).toBeUndefined();
    expect(plan.networks.internal2.gateway).toBeUndefined();
    const last = planVmLab({ ...input, slot: MAX_SLOTS - 1 });
    for (const network of Object.values(last.networks)) expect(network.bridge.length).toBeLessThanOrEqual(15);
  });

  it('attaches vm1 and vm3 to management + one internal network, the router to all three, management first', () => {
    const networks = (role: (typeof VM_ROLES)[number]) => plan.vms[role].nics.map((n) => n.network);
    expect(networks('vm1')).toEqual(['management', 'internal1']);
    expect(networks('router')).toEqual(['management', 'internal1', 'internal2']);
    expect(networks('vm3')).toEqual(['management', 'internal2']);
    for (const role of VM_ROLES) expect(plan.vms[role].nics.map((n) => n.pciSlot)).toEqual([3, 4, 5].slice(0, plan.vms[role].nics.length));
  });

  it('names domains after the lab, boots them with a serial console and the hostname, 256 MiB', () => {
    expect(plan.vms.router).toMatchObject({
      domain: 'lab7-router',
      hostname: 'router',
      memoryMiB: 256,
      initrd: '/home/teacher/router-lab-grader/.lab/lab7/router/initrd.img',
      consoleLog: '/home/teacher/router-lab-grader/.lab/lab7/router/console.log',
    });
    expect(plan.vms.router.cmdline).toMatch(/^console=ttyS0 hostname=router /);
  });

  it('gives every NIC a distinct MAC and every object a distinct UUID that depends on createdAt', () => {
    const macs = VM_ROLES.flatMap((role) => plan.vms[role].nics.map((n) => n.mac));
    expect(new Set(macs).size).toBe(7);
    for (const mac of macs) expect(mac).toMatch(/^52:54:00:03:0[1-3]:0[1-3]$/);
    const uuids = [...VM_ROLES.map((r) => plan.vms[r].uuid), ...Object.values(plan.networks).map((n) => n.uuid)];
    expect(new Set(uuids).size).toBe(6);
    for (const uuid of uuids) expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(planVmLab(input).vms.vm1.uuid).toBe(plan.vms.vm1.uuid);
    expect(planVmLab({ ...input, createdAt: '2026-01-02T03:04:06.000Z' }).vms.vm1.uuid).not.toBe(plan.vms.vm1.uuid);
    expect(derivedUuid('a', 'b')).not.toBe(derivedUuid('ab'));
  });

  it('refuses slots and names out of range', () => {
    expect(() => planVmLab({ ...input, slot: MAX_SLOTS })).toThrow(/slot/);
    expect(() => planVmLab({ ...input, slot: -1 })).toThrow(/slot/);
    expect(() => planVmLab({ ...input, name: 'Bad Name' })).toThrow(/name/);
  });
});

describe('studentSteps', () => {
  it('good: forwarding on the router, then a route on each VM via the router on its own internal network', () => {
    expect(studentSteps(planVmLab(input), addresses)).toEqual([
      { role: 'router', command: 'sysctl -w net.ipv4.ip_forward=1' },
      { role: 'vm1', command: 'ip route add 10.126.3.0/24 via 10.125.3.21' },
      { role: 'vm3', command: 'ip route add 10.125.3.0/24 via 10.126.3.22' },
    ]);
  });

  it('no-forwarding: the same routes, forwarding left off', () => {
    const steps = studentSteps(planVmLab({ ...input, variant: 'no-forwarding' }), addresses);
    expect(steps.map((s) => s.role)).toEqual(['vm1', 'vm3']);
  });
});

describe('labs named as students name them', () => {
  it('gives alice and bob their own domain names, the roles not in the same words', () => {
    const labs = namedLabs(2, 'people', 'ignored');
    expect(labs).toEqual([
      { name: 'alice', domainNames: { vm1: 'alice-vm1', router: 'alice-router', vm3: 'alice-vm3' } },
      { name: 'bob', domainNames: { vm1: 'bob-vm-a', router: 'bob-gw', vm3: 'bob-vm-b' } },
    ]);
    const plan = planVmLab({ ...input, name: 'bob', domainNames: labs[1]!.domainNames! });
    expect(VM_ROLES.map((r) => plan.vms[r].domain)).toEqual(['bob-vm-a', 'bob-gw', 'bob-vm-b']);
    expect(plan.networks.internal1.name).toBe('bob-internal1');
  });

  it('numbers labs named after --name, and refuses more labs than names', () => {
    expect(namedLabs(2, 'lab', 'demo').map((l) => l.name)).toEqual(['demo1', 'demo2']);
    expect(namedLabs(1, 'lab', 'demo')).toEqual([{ name: 'demo' }]);
    expect(() => namedLabs(5, 'people', 'x')).toThrow('1..4');
  });
});

describe('Debian guests', () => {
  const debian = planVmLab({ ...input, guest: 'debian', image: { ...input.image, kernel: '/c/k/vmlinuz', disk: '/c/k/base.qcow2' } });

  it('boot the image initramfs with the root file system found by label, from an overlay and a seed of their own', () => {
    expect(debian.guest).toBe('debian');
    expect(debian.vms.vm1).toMatchObject({
      memoryMiB: 512,
      initrd: '/c/k/initrd.img',
      disk: '/home/teacher/router-lab-grader/.lab/lab7/vm1/disk.qcow2',
      seed: '/home/teacher/router-lab-grader/.lab/lab7/vm1/seed.tar',
      hostKey: '/home/teacher/router-lab-grader/.lab/lab7/vm1/ssh_host_ed25519_key',
    });
    expect(debian.vms.vm1.cmdline).toBe('root=LABEL=vmlab-root ro console=ttyS0 panic=-1 no_timer_check');
    expect(planVmLab(input).guest).toBe('busybox');
  });

  it('the student types sudo; dhclient runs on every internal NIC by its name in the guest', () => {
    expect(studentSteps(debian, addresses).map((s) => s.command)).toEqual([
      'sudo sysctl -w net.ipv4.ip_forward=1',
      'sudo ip route add 10.126.3.0/24 via 10.125.3.21',
      'sudo ip route add 10.125.3.0/24 via 10.126.3.22',
    ]);
    const names = {
      vm1: { '52:54:00:03:01:01': 'enp1s0', '52:54:00:03:01:02': 'enp2s0' },
      router: { '52:54:00:03:02:01': 'enp1s0', '52:54:00:03:02:02': 'enp2s0', '52:54:00:03:02:03': 'enp3s0' },
      vm3: { '52:54:00:03:03:01': 'enp1s0', '52:54:00:03:03:02': 'enp7s0' },
    };
    expect(dhcpSteps(debian, names)).toEqual([
      { role: 'vm1', command: 'sudo dhclient -v enp2s0' },
      { role: 'router', command: 'sudo dhclient -v enp2s0' },
      { role: 'router', command: 'sudo dhclient -v enp3s0' },
      { role: 'vm3', command: 'sudo dhclient -v enp7s0' },
    ]);
    expect(() => dhcpSteps(debian, { ...names, vm3: { '52:54:00:03:03:01': 'enp1s0' } })).toThrow('vm3 has no NIC with MAC 52:54:00:03:03:02 (internal2)');
  });
});
