// LabReport builders for the reporters' tests: one result of each status, and evidence as hostile
// as a student's VM can make it.
import type { CheckResult } from '../../grader/core/result.ts';
import type { LabReport } from '../../grader/core/lab-report.ts';

export const HOSTILE_OUTPUT =
  '\x1b[31mred\x1b[0m \x1b[?25lhidden-cursor\x1b[?25h \x1b]0;window title\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ ' +
  'nul\x00 bell\x07 bs\b ff\x0c \x9b1mc1 \x1b(B\x1b7saved\x1b8 ' +
  'nonchars\ufffe\uffff lone\ud800surrogate \udc00 ok-pair\ud83d\ude00 ' +
  'crlf\r\nlf\ncr\rend ' +
  'cdata]]>twice]]><script/> <tag attr="v"> & amp &amp; </testcase></testsuite>';

export function sampleResult(overrides: Partial<CheckResult> & Pick<CheckResult, 'id' | 'host' | 'status'>): CheckResult {
  const pass = overrides.status === 'pass';
  return {
    kind: overrides.id,
    title: `${overrides.id} on ${overrides.host}`,
    points: pass ? 1 : 0,
    maxPoints: 1,
    message: pass ? 'as expected' : 'not as expected',
    evidence: [],
    measurements: {},
    durationMs: 250,
    ...overrides,
  };
}

export function sampleReport(overrides: Partial<LabReport> = {}): LabReport {
  const results: CheckResult[] = overrides.results ?? [
    sampleResult({ id: 'subnets', host: 'lab', status: 'pass', message: 'internal networks 10.0.1.0/24 and 10.0.3.0/24 do not overlap' }),
    sampleResult({ id: 'virtio', host: 'vm1', status: 'pass', message: 'enp1s0, enp7s0 use virtio_net' }),
    sampleResult({
      id: 'virtio',
      host: 'router',
      status: 'fail',
      message: 'enp8s0 uses \x1b[31me1000\x1b[0m',
      expected: 'virtio_net on every NIC',
      actual: 'e1000 on enp8s0',
      hint: 'In virt-manager, set the NIC model of enp8s0 to virtio & reboot <router>.',
      evidence: [
        { host: 'router', command: 'readlink /sys/class/net/enp8s0/device/driver', exitCode: 0, output: '../../../../bus/pci/drivers/e1000' },
        { host: 'router', command: 'ethtool -i enp8s0', exitCode: 0, output: HOSTILE_OUTPUT },
      ],
    }),
    sampleResult({
      id: 'ping',
      host: 'vm1',
      status: 'pass',
      points: 2,
      maxPoints: 2,
      message: 'vm3 answers through the router (ttl=63)',
      measurements: { rttAvgMs: 0.512, lossPercent: 0 },
    }),
    sampleResult({
      id: 'iperf',
      host: 'vm1',
      status: 'error',
      maxPoints: 2,
      message: 'iperf3 is not installed on vm3',
      hint: 'sudo apt install iperf3',
      ownHint: true,
      evidence: [{ host: 'vm3', command: 'iperf3 -s -1', exitCode: 127, output: 'sh: 1: iperf3: not found\x1b[0m\x00' }],
      measurements: { throughputMbps: 941.234 },
      durationMs: 1500,
    }),
  ];
  const count = (status: CheckResult['status']): number => results.filter((r) => r.status === status).length;
  return {
    lab: 'router-lab',
    startedAt: '2025-11-25T11:18:03.120+01:00',
    durationMs: 12_345,
    score: results.reduce((sum, r) => sum + r.points, 0),
    maxScore: results.reduce((sum, r) => sum + r.maxPoints, 0),
    summary: { pass: count('pass'), fail: count('fail'), error: count('error'), total: results.length },
    hosts: [
      { role: 'vm1', target: '192.168.122.11', reachable: true, managementInterface: 'enp1s0', internalInterfaces: ['enp7s0'] },
      { role: 'router', target: '192.168.122.12', reachable: true, managementInterface: 'enp1s0', internalInterfaces: ['enp7s0', 'enp8s0'] },
      { role: 'vm3', target: '192.168.122.13', reachable: false, error: 'ssh: connect timed out\x1b[0m' },
    ],
    results,
    ...overrides,
  };
}
