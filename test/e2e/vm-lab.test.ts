// The exercise as students build it: three libvirt/QEMU VMs running Debian 12 (debootstrap,
// systemd, OpenSSH, a `student` account with sudo and a password), the student's part typed over
// SSH (`sudo dhclient -v`, `sudo sysctl -w`, `sudo ip route add`), graded the way an instructor
// reaches a lab machine — through its hypervisor (`hypervisor: local`), the VMs' addresses found
// by virsh, the domains' NIC models as the virtio check's third witness, logging in as `student`
// with the password from the lab's .env. A VirtIO lab passes every check; an e1000 lab fails
// virtio on every VM, with every witness in the evidence, and passes the rest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { vmLabUp, type NicModel, type VmLabHandle } from '../../labs/libvirt/api.ts';
import { connectStudent } from '../../labs/libvirt/debian-guest.ts';
import { gradeThroughHypervisor } from '../../labs/libvirt/grade-through-hypervisor.ts';
import { connectHost } from '../../grader/transport/ssh-host.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { exerciseChecksWith, resultKey } from '../support/exercise-results.ts';
import { IPERF_SECONDS } from './lab-runs.ts';

/** Emulated NICs under QEMU's software emulation carry about 100 Mbit/s here: a floor they pass. */
const FLOOR_MBPS = 20;
const ROLES = ['vm1', 'router', 'vm3'] as const;

interface GuestFacts {
  osRelease: string;
  pid1: string;
  user: string;
  machineId: string;
  hostname: string;
  leases: string;
  addresses: string;
}

function passwordOf(lab: VmLabHandle): string {
  const line = readFileSync(lab.envPath, 'utf8').split('\n').find((l) => l.startsWith('GRADER_SSH_PASSWORD='));
  return (line ?? '').slice('GRADER_SSH_PASSWORD='.length).replace(/^"|"$/g, '');
}

// What each guest says about itself, over the student's own password login.
async function guestFacts(lab: VmLabHandle): Promise<Record<(typeof ROLES)[number], GuestFacts>> {
  const password = passwordOf(lab);
  const facts = {} as Record<(typeof ROLES)[number], GuestFacts>;
  for (const role of ROLES) {
    const host = await connectStudent(role, { address: lab.addresses[role].management, password, knownHostsPath: lab.knownHostsPath });
    try {
      const read = async (command: string) => (await host.run(command)).stdout.trim();
      facts[role] = {
        osRelease: await read('cat /etc/os-release'),
        pid1: await read('cat /proc/1/comm'),
        user: await read('id -un'),
        machineId: await read('cat /etc/machine-id'),
        hostname: await read('hostname'),
        leases: await read('cat /var/lib/dhcp/dhclient*.leases 2>/dev/null'),
        addresses: await read('ip -4 -o addr show'),
      };
    } finally {
      await host.close();
    }
  }
  return facts;
}

// Builds the lab, checks its guests, grades it through its hypervisor, tears it down (also on failure).
async function gradeVmLab(nic: NicModel): Promise<{ report: LabReport; facts: Awaited<ReturnType<typeof guestFacts>>; lab: VmLabHandle; rootRefused: boolean }> {
  const lab = await vmLabUp({ name: `e2e${process.pid % 10000}-${nic}`, nic, guest: 'debian' });
  try {
    const facts = await guestFacts(lab);
    // root with the student's password: sshd refuses it (PermitRootLogin no), as on a fresh install.
    const rootRefused = await connectHost({
      role: 'vm1',
      endpoint: { host: lab.addresses.vm1.management, port: 22, user: 'root' },
      credentials: { password: passwordOf(lab) },
      knownHosts: await KnownHosts.load(lab.knownHostsPath),
      hostKeyPolicy: 'strict',
      readyTimeoutMs: 20_000,
    }).then(
      async (host) => (await host.close(), false),
      (error: unknown) => error instanceof Error && 'failure' in error && error.failure === 'auth',
    );
    const checks = exerciseChecksWith({ iperf: { durationSeconds: IPERF_SECONDS, floorMbps: FLOOR_MBPS } });
    return { report: await gradeThroughHypervisor(lab, checks), facts, lab, rootRefused };
  } finally {
    await lab.down();
  }
}

const statuses = (report: LabReport) => Object.fromEntries(report.results.map((r) => [resultKey(r), r.status]));
const result = (report: LabReport, key: string) => report.results.find((r) => resultKey(r) === key)!;

// The guests are what they claim: Debian 12 under systemd, the student logged in (not root), each
// VM its own machine-id and hostname, and every internal address one that dhclient leased.
function expectRealDebianGuests(run: Awaited<ReturnType<typeof gradeVmLab>>): void {
  const { facts, lab } = run;
  const internal: Record<(typeof ROLES)[number], string[]> = {
    vm1: [lab.addresses.vm1.internal],
    router: [lab.addresses.router.internal1, lab.addresses.router.internal2],
    vm3: [lab.addresses.vm3.internal],
  };
  for (const role of ROLES) {
    const f = facts[role];
    expect(f.osRelease).toMatch(/^ID=debian$/m);
    expect(f.osRelease).toMatch(/^VERSION_ID="12"$/m);
    expect(f.pid1).toBe('systemd');
    expect(f.user).toBe('student');
    expect(f.hostname).toBe(role);
    expect(f.machineId).toMatch(/^[0-9a-f]{32}$/);
    for (const address of internal[role]) {
      expect(f.leases, `${role}: dhclient's lease for ${address}`).toContain(`fixed-address ${address};`);
      expect(f.addresses).toMatch(new RegExp(`inet ${address.replace(/\./g, '\\.')}/24 .*dynamic`));
    }
  }
  expect(new Set(ROLES.map((r) => facts[r].machineId)).size).toBe(3);
  expect(run.rootRefused).toBe(true);
  expect(lab.user).toBe('student');
}

describe('the Debian VM lab, graded through its hypervisor as student with a password', () => {
  it('with VirtIO NICs passes every check, each witness agreeing', async () => {
    const run = await gradeVmLab('virtio');
    const { report } = run;
    expectRealDebianGuests(run);
    expect(report.hosts.map((h) => [h.role, h.reachable])).toEqual([
      ['vm1', true],
      ['router', true],
      ['vm3', true],
    ]);
    for (const host of report.hosts) expect(host.managementInterface).toMatch(/^enp\d+s0$/);
    expect(Object.values(statuses(report)).every((s) => s === 'pass'), JSON.stringify(report.results.filter((r) => r.status !== 'pass'), null, 1)).toBe(true);
    expect(report.score).toBe(report.maxScore);
    for (const host of ['vm1', 'router', 'vm3']) {
      expect(result(report, `virtio ${host}`).actual).toMatch(/^enp\d+s0: driver link virtio_net, ethtool virtio_net, domain XML virtio$/m);
    }
    expect(result(report, 'subnets').actual).toMatch(/libvirt .*internal1: 10\.\d+\.\d+\.0\/24 \(DHCP\), isolated/);
    expect(result(report, 'iperf vm1').measurements.throughputMbps).toBeGreaterThan(FLOOR_MBPS);
    expect(result(report, 'iperf vm1').message).toMatch(/, virtio NICs$/);
    // The hypervisor's own counters of the router's two internal NICs (its taps) saw the traffic
    // go through and come back, in the numbers the checks caused.
    for (const key of ['ping vm1', 'traceroute vm1', 'iperf vm1']) {
      const traffic = result(report, key);
      expect(traffic.evidenceScope, key).toBe('hypervisor');
      expect(traffic.actual, key).toMatch(/^the hypervisor's counters of the router's NICs agrees: as the hypervisor counted them: vnet\d+ \+\d+ \w+ in, \+\d+ out; vnet\d+ /m);
      expect(traffic.actual, key).toMatch(/^the router's counters agrees: /m);
    }
    const ping = result(report, 'ping vm1').measurements;
    expect(ping.hypervisorTowardTarget).toBeGreaterThanOrEqual(ping.received!);
    expect(ping.hypervisorBackFromTarget).toBeGreaterThanOrEqual(ping.received!);
  }, 1_200_000);

  it('with e1000 NICs fails virtio on every VM with every witness, and passes the rest', async () => {
    const run = await gradeVmLab('e1000');
    const { report } = run;
    expectRealDebianGuests(run);
    const expected = Object.fromEntries(Object.keys(statuses(report)).map((k) => [k, k.startsWith('virtio ') ? 'fail' : 'pass']));
    expect(statuses(report), report.results.filter((r) => r.status !== "pass" && r.kind !== "virtio").map((r) => `${r.id}: ${r.message}`).join("; ")).toEqual(expected);
    for (const host of ['vm1', 'router', 'vm3']) {
      const virtio = result(report, `virtio ${host}`);
      expect(virtio.message).toMatch(/^\S+(, \S+)* uses? the e1000 driver, not VirtIO \(virtio_net\)/);
      expect(virtio.actual).toMatch(/^\S+: driver link e1000, ethtool e1000, domain XML e1000$/m);
    }
    expect(result(report, 'iperf vm1').measurements.throughputMbps).toBeGreaterThan(FLOOR_MBPS);
    expect(result(report, 'iperf vm1').message).toMatch(/, e1000 NICs$/);
  }, 1_200_000);
});
