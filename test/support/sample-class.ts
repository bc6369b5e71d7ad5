// A class of twelve labs for the class reporters' tests, with the outcomes a real class has: all
// passed, all passed but VirtIO, failures with hints, labs that could not be graded, one lab
// without a student, and names as hostile as a roster can make them.
import type { CheckResult, Measurements } from '../../grader/core/result.ts';
import type { HostSummary, LabReport } from '../../grader/core/lab-report.ts';
import type { ClassLab, ClassReport, Student } from '../../grader/class-report/class-report.ts';

export const CHECK_IDS = ['subnets', 'virtio', 'ip-forward', 'routes', 'ping', 'traceroute', 'iperf'];

interface Check {
  id: string;
  host: string;
  title: string;
  points: number;
  message: string;
  hint: string;
}

const CHECKS: Check[] = [
  { id: 'subnets', host: 'lab', title: 'Two internal networks without overlapping IPs', points: 2, message: 'internal networks 10.0.1.0/24 and 10.0.2.0/24 do not overlap', hint: 'Create two internal networks without overlapping IPs.' },
  ...['vm1', 'router', 'vm3'].map((host) => ({ id: 'virtio', host, title: 'Every NIC uses the VirtIO driver', points: 1, message: 'enp1s0, enp7s0 use virtio_net', hint: "Set the NIC model to VirtIO (virsh edit: <model type='virtio'/>), then restart the VM." })),
  { id: 'ip-forward', host: 'router', title: 'IP forwarding is on in the router VM', points: 2, message: 'net.ipv4.ip_forward = 1', hint: 'Enable IP forwarding: `sudo sysctl -w net.ipv4.ip_forward=1`.' },
  ...['vm1', 'vm3'].map((host) => ({ id: 'routes', host, title: 'The route to the other VM goes through the router', points: 1, message: 'the other internal network is routed via the router', hint: 'sudo ip route add <destination_network> via <gateway_ip>' })),
  { id: 'ping', host: 'vm1', title: 'VM1 pings the vNIC of VM3', points: 2, message: 'vm3 answers through the router (ttl=63)', hint: 'Check IP forwarding on the router and the routes on both VMs.' },
  { id: 'traceroute', host: 'vm1', title: 'traceroute from VM1 to VM3 passes through the router', points: 2, message: 'first hop 10.0.1.1 is the router', hint: "The first hop must be the router's address on VM1's internal network." },
  { id: 'iperf', host: 'vm1', title: 'iperf between VM1 and VM3 reaches the throughput floor', points: 2, message: 'throughput above the floor of 100 Mbit/s', hint: 'A low figure usually means an emulated NIC instead of VirtIO.' },
];

type Outcome = Partial<Pick<CheckResult, 'status' | 'message' | 'expected' | 'actual' | 'hint' | 'measurements' | 'evidence'>>;

const HOSTS: HostSummary[] = [
  { role: 'vm1', target: '192.168.122.11', reachable: true, managementInterface: 'enp1s0', internalInterfaces: ['enp7s0'] },
  { role: 'router', target: '192.168.122.12', reachable: true, managementInterface: 'enp1s0', internalInterfaces: ['enp7s0', 'enp8s0'] },
  { role: 'vm3', target: '192.168.122.13', reachable: true, managementInterface: 'enp1s0', internalInterfaces: ['enp7s0'] },
];

// A lab where every check passes, but for the outcomes given by `id host` (or `id` for the lab).
export function classLabReport(lab: string, outcomes: Record<string, Outcome> = {}, extra: { throughputMbps?: number; rttAvgMs?: number; hosts?: HostSummary[] } = {}): LabReport {
  const results = CHECKS.map((check, index): CheckResult => {
    const key = check.host === 'lab' ? check.id : `${check.id} ${check.host}`;
    const outcome = outcomes[key] ?? {};
    const status = outcome.status ?? 'pass';
    const measurements: Measurements =
      check.id === 'iperf' && extra.throughputMbps !== undefined
        ? { throughputMbps: extra.throughputMbps }
        : check.id === 'ping' && status !== 'error'
          ? { rttAvgMs: extra.rttAvgMs ?? 0.48, lossPercent: status === 'pass' ? 0 : 100 }
          : {};
    return {
      id: check.id,
      kind: check.id,
      host: check.host,
      title: check.title,
      status,
      points: status === 'pass' ? check.points : 0,
      maxPoints: check.points,
      message: check.message,
      evidence: [],
      durationMs: check.id === 'iperf' ? 5_400 : 120 + index * 10,
      ...(status === 'pass' ? {} : { hint: check.hint }),
      ...outcome,
      measurements: outcome.measurements ?? measurements,
    };
  });
  const count = (status: CheckResult['status']): number => results.filter((r) => r.status === status).length;
  return {
    lab,
    startedAt: '2025-11-25T14:02:11.000+01:00',
    durationMs: 31_000,
    score: results.reduce((sum, r) => sum + r.points, 0),
    maxScore: results.reduce((sum, r) => sum + r.maxPoints, 0),
    summary: { pass: count('pass'), fail: count('fail'), error: count('error'), total: results.length },
    hosts: extra.hosts ?? HOSTS,
    results,
  };
}

// Every result an error: nothing could be observed.
export function unreachableLabReport(lab: string, hostErrors: Record<string, string>): LabReport {
  const base = classLabReport(lab);
  const results = base.results.map((result): CheckResult => {
    const role = result.host === 'lab' ? 'vm1' : result.host;
    const message = `${role} could not be reached: ${hostErrors[role] ?? hostErrors.vm1 ?? 'unreachable'}`;
    return { ...result, status: 'error', points: 0, message, hint: 'Start the VM and check that the grader can log in over SSH.', measurements: {} };
  });
  const hosts = base.hosts.map((host): HostSummary => {
    const error = hostErrors[host.role];
    return error === undefined ? host : { role: host.role, target: host.target, reachable: false, error };
  });
  return { ...base, score: 0, summary: { pass: 0, fail: 0, error: results.length, total: results.length }, hosts, results };
}

const virtioFails = (model: string): Record<string, Outcome> =>
  Object.fromEntries(
    ['vm1', 'router', 'vm3'].map((host) => [
      `virtio ${host}`,
      { status: 'fail', message: `enp7s0 uses ${model}`, expected: 'virtio_net on every NIC', actual: `${model} on enp7s0` },
    ]),
  );

export const HOSTILE_NAME = '<script>alert(1)</script> & Co "quoted"';

export const STUDENTS: Record<string, Student> = {
  lab01: { id: '00123', name: 'Lovelace, Ada', email: 'ada@example.edu' },
  lab02: { id: '00124', name: 'Zoë "Z" Łukasiewicz', email: 'zoe@example.edu' },
  lab03: { id: 's-003', name: '=HYPERLINK("http://evil.example")', email: '@evil.example' },
  lab04: { id: 's-004', name: HOSTILE_NAME, email: 'mallory@example.edu' },
  lab05: { id: 's-005', name: 'Grace Hopper', email: 'grace@example.edu' },
  lab06: { id: 's-006', name: 'Alan Turing', email: 'alan@example.edu' },
  lab07: { id: 's-007', name: 'Barbara Liskov', email: 'barbara@example.edu' },
  lab08: { id: 's-008', name: 'Edsger Dijkstra', email: 'edsger@example.edu' },
  lab09: { id: 's-009', name: 'Radia Perlman', email: 'radia@example.edu' },
  lab10: { id: 's-010', name: 'Vint Cerf', email: 'vint@example.edu' },
  lab12: { id: 's-012', name: 'Margaret Hamilton', email: 'margaret@example.edu' },
};

export function sampleClassLabs(): LabReport[] {
  return [
    // All passed but VirtIO: a lab built in namespaces or with e1000 NICs.
    classLabReport('lab01', virtioFails('veth'), { throughputMbps: 941.2, rttAvgMs: 0.41 }),
    classLabReport('lab02', {}, { throughputMbps: 2450.7, rttAvgMs: 0.33 }),
    classLabReport(
      'lab03',
      {
        'ip-forward router': { status: 'fail', message: 'forwarding is off', expected: 'net.ipv4.ip_forward = 1', actual: 'net.ipv4.ip_forward = 0' },
        'ping vm1': { status: 'fail', message: '5 sent, 0 received', expected: 'replies from 10.0.2.3', actual: '100% packet loss' },
        'traceroute vm1': { status: 'fail', message: 'no hop answered', expected: 'first hop 10.0.1.1', actual: '* * *' },
        'iperf vm1': { status: 'fail', message: 'iperf3 to 10.0.2.3 failed: unable to connect', expected: '>= 100 Mbit/s', actual: 'no route' },
      },
      { rttAvgMs: 0 },
    ),
    classLabReport(
      'lab04',
      {
        'routes vm3': { status: 'fail', message: 'no route to 10.0.1.0/24 <via> the router & back', expected: '10.0.1.0/24 via 10.0.2.1', actual: 'default via 192.168.122.1', evidence: [{ host: 'vm3', command: 'ip route get 10.0.1.2', exitCode: 0, output: '10.0.1.2 via 192.168.122.1 dev enp1s0 src 192.168.122.13\n    cache' }] },
        'ping vm1': { status: 'fail', message: '5 sent, 0 received: vm3 has no route back', expected: 'replies from 10.0.2.3', actual: '100% packet loss' },
      },
      { throughputMbps: 412.5 },
    ),
    unreachableLabReport('lab05', { vm1: 'ssh: connect ECONNREFUSED 192.168.122.51:22', router: 'ssh: connect timed out after 10 s', vm3: 'ssh: connect timed out after 10 s' }),
    unreachableLabReport('lab06', { vm1: 'authentication refused for student@192.168.122.61 <publickey>', router: 'authentication refused for root@192.168.122.62', vm3: 'authentication refused for student@192.168.122.63' }),
    classLabReport('lab07', { ...virtioFails('e1000'), 'iperf vm1': { status: 'fail', message: '87.3 Mbit/s to 10.0.2.3, below the floor of 100 Mbit/s', expected: '>= 100 Mbit/s', actual: '87.3 Mbit/s' } }, { throughputMbps: 87.3 }),
    classLabReport(
      'lab08',
      { 'traceroute vm1': { status: 'fail', message: 'first hop 10.0.1.254 is the hypervisor, not the router', expected: 'first hop 10.0.1.1', actual: 'first hop 10.0.1.254' } },
      { throughputMbps: 870.4 },
    ),
    classLabReport(
      'lab09',
      { subnets: { status: 'fail', message: 'internal networks 10.0.1.0/24 and 10.0.1.128/25 overlap', expected: 'two subnets that do not overlap', actual: '10.0.1.0/24, 10.0.1.128/25' } },
      { throughputMbps: 1210 },
    ),
    classLabReport('lab10', {}, { throughputMbps: 1980.6 }),
    classLabReport('lab11', { 'iperf vm1': { status: 'fail', message: 'iperf3 is not installed on vm3', hint: 'sudo apt install iperf3' } }),
    // The router unreachable: what needs it is an error, the rest is graded.
    classLabReport(
      'lab12',
      {
        'virtio router': { status: 'error', message: 'router could not be reached: ssh: connect timed out after 10 s' },
        'ip-forward router': { status: 'error', message: 'router could not be reached: ssh: connect timed out after 10 s' },
        'ping vm1': { status: 'fail', message: '5 sent, 0 received' },
        'traceroute vm1': { status: 'fail', message: 'no hop answered' },
        'iperf vm1': { status: 'fail', message: 'iperf3 to 10.0.2.3 failed: unable to connect' },
      },
      { hosts: [HOSTS[0] as HostSummary, { role: 'router', target: '192.168.122.12', reachable: false, error: 'ssh: connect timed out after 10 s' }, HOSTS[2] as HostSummary] },
    ),
  ];
}

// The class as `buildClassReport` makes it: lab11 has no student.
export function sampleClass(): ClassReport {
  const labs = sampleClassLabs().map((report): ClassLab => {
    const student = STUDENTS[report.lab];
    return student ? { lab: report.lab, student, report } : { lab: report.lab, report };
  });
  return { startedAt: '2025-11-25T14:02:10.512+01:00', durationMs: 184_250, labs };
}
