// The exercise as students build it: three libvirt/QEMU VMs, graded the way an instructor reaches
// a lab machine — through its hypervisor (`hypervisor: local`), the VMs' addresses found by virsh,
// the domains' NIC models as the virtio check's third witness. A VirtIO lab passes every check; an
// e1000 lab fails virtio on every VM, with every witness in the evidence, and passes the rest.
import { describe, expect, it } from 'vitest';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { vmLabUp, type NicModel } from '../../vm-lab/api.ts';
import { gradeThroughHypervisor } from '../../vm-lab/grade-through-hypervisor.ts';
import { exerciseChecksWith, resultKey } from '../support/exercise-results.ts';
import { IPERF_SECONDS } from './lab-runs.ts';

/** Emulated NICs under QEMU's software emulation carry about 100 Mbit/s here: a floor they pass. */
const FLOOR_MBPS = 20;

// Builds the lab, grades it through its hypervisor, tears it down (also when grading fails).
async function gradeVmLab(nic: NicModel): Promise<LabReport> {
  const lab = await vmLabUp({ name: `e2e${process.pid % 10000}-${nic}`, nic });
  try {
    const checks = exerciseChecksWith({ iperf: { durationSeconds: IPERF_SECONDS, floorMbps: FLOOR_MBPS } });
    return await gradeThroughHypervisor(lab, checks);
  } finally {
    await lab.down();
  }
}

const statuses = (report: LabReport) => Object.fromEntries(report.results.map((r) => [resultKey(r), r.status]));
const result = (report: LabReport, key: string) => report.results.find((r) => resultKey(r) === key)!;

describe('the VM lab, graded through its hypervisor', () => {
  it('with VirtIO NICs passes every check, each witness agreeing', async () => {
    const report = await gradeVmLab('virtio');
    expect(report.hosts.map((h) => [h.role, h.reachable, h.managementInterface])).toEqual([
      ['vm1', true, 'eth0'],
      ['router', true, 'eth0'],
      ['vm3', true, 'eth0'],
    ]);
    expect(Object.values(statuses(report)).every((s) => s === 'pass'), JSON.stringify(report.results.filter((r) => r.status !== 'pass'), null, 1)).toBe(true);
    expect(report.score).toBe(report.maxScore);
    for (const host of ['vm1', 'router', 'vm3']) {
      expect(result(report, `virtio ${host}`).actual).toMatch(/^eth0: driver link virtio_net, ethtool virtio_net, domain XML virtio$/m);
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
  }, 420_000);

  it('with e1000 NICs fails virtio on every VM with every witness, and passes the rest', async () => {
    const report = await gradeVmLab('e1000');
    const expected = Object.fromEntries(Object.keys(statuses(report)).map((k) => [k, k.startsWith('virtio ') ? 'fail' : 'pass']));
    expect(statuses(report), report.results.filter((r) => r.status !== "pass" && r.kind !== "virtio").map((r) => `${r.id}: ${r.message}`).join("; ")).toEqual(expected);
    for (const host of ['vm1', 'router', 'vm3']) {
      const virtio = result(report, `virtio ${host}`);
      expect(virtio.message).toMatch(/^not virtio_net: eth0 e1000/);
      expect(virtio.actual).toMatch(/^eth0: driver link e1000, ethtool e1000, domain XML e1000$/m);
    }
    expect(result(report, 'iperf vm1').measurements.throughputMbps).toBeGreaterThan(FLOOR_MBPS);
    expect(result(report, 'iperf vm1').message).toMatch(/, e1000 NICs$/);
  }, 420_000);
});
