// A course for the board's tests: a real store (SQLite in a temp dir, through the store's API)
// filled with the sample class's reports, a roster, a deadline, a board secret and tokens; a
// small AttemptEvents of the tests' own; the web app on 127.0.0.1.
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHECK_IDS, classLabReport, HOSTILE_NAME, sampleClassLabs, STUDENTS } from './sample-class.ts';
import type { Diagnosis } from '../../grader/core/diagnosis.ts';
import type { LabReport } from '../../grader/core/lab-report.ts';
import type { Attempt, CourseStore, NewAttempt } from '../../grader/store/course-store.ts';
import { openStore } from '../../grader/store/open-store.ts';
import { createWebApp } from '../../grader/web/web-app.ts';
import type { AttemptEvents, AttemptNotice } from '../../grader/web/web-context.ts';
import { DIGEST_A } from './store-reports.ts';

export { CHECK_IDS, HOSTILE_NAME, STUDENTS };

export const COURSE_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBoardTestCourseKeyOnlyForTests course@grader';

// What the diagnoser says of the sample class's broken labs (the diagnosis tests' shapes).
export const FORWARDING_OFF: Diagnosis = { cause: 'forwarding-off', host: 'router', summary: 'The router VM does not forward IPv4 packets.', fix: ['sudo sysctl -w net.ipv4.ip_forward=1'], persist: 'net.ipv4.ip_forward=1 in /etc/sysctl.d/99-forward.conf', evidence: ['net.ipv4.ip_forward = 0'], results: ['ip-forward router', 'ping vm1'] };
export const NO_RETURN: Diagnosis = { cause: 'no-return-route', host: 'vm3', nic: 'enp7s0', summary: 'VM3 has no route to 10.0.1.0/24: only its default route via 192.168.122.1.', fix: ['sudo ip route add 10.0.1.0/24 via 10.0.2.1'], evidence: ['10.0.1.2 via 192.168.122.1 dev enp1s0'], results: ['routes vm3', 'ping vm1'] };
export const NOT_VIRTIO: Diagnosis = { cause: 'not-virtio', host: 'vm1', nic: 'enp7s0', summary: "VM1's NIC enp7s0 is not VirtIO.", fix: ['virsh shutdown vm1', 'virsh edit vm1', 'virsh start vm1'], evidence: ['enp7s0 e1000'], results: ['virtio vm1'] };

const DIAGNOSES: Record<string, Diagnosis[]> = { lab01: [NOT_VIRTIO], lab03: [FORWARDING_OFF], lab04: [NO_RETURN], lab07: [NOT_VIRTIO] };

/** The sample class's reports with provenance and the diagnoses of their broken labs. */
export function courseReports(): LabReport[] {
  return sampleClassLabs().map((r) => ({ ...r, provenance: DIGEST_A, ...(DIAGNOSES[r.lab] ? { diagnoses: DIAGNOSES[r.lab] } : {}) }));
}

/** A lab whose VMs' host and NIC names and outputs carry markup and script. */
export const HOSTILE_NIC = '<img src=x onerror="window.__pwned=1">';
export const HOSTILE_HOST = '<script>window.__pwned=2</script>vm1.example';
export function hostileReport(lab: string): LabReport {
  const report = classLabReport(
    lab,
    { 'ping vm1': { status: 'fail', message: `no reply via ${HOSTILE_NIC}`, evidence: [{ host: 'vm1', command: `ping -I ${HOSTILE_NIC} 10.0.2.3`, exitCode: 1, output: `<script>window.__pwned=3</script> ${HOSTILE_NIC}` }] } },
    { hosts: [{ role: 'vm1', target: HOSTILE_HOST, reachable: true, managementInterface: HOSTILE_NIC, internalInterfaces: ['<b onmouseover="window.__pwned=4">eth1</b>'], identity: { hostKey: '<i>key</i>', machineId: '"><script>window.__pwned=5</script>' } }] },
  );
  return { ...report, provenance: DIGEST_A, diagnoses: [{ ...NO_RETURN, nic: HOSTILE_NIC, summary: `route out of ${HOSTILE_NIC}`, results: ['ping vm1'] }] };
}

export function newAttempt(report: LabReport, startedAt: string, studentId?: string): NewAttempt {
  const endedAt = new Date(Date.parse(startedAt) + 30_000).toISOString();
  return { lab: report.lab, ...(studentId ? { studentId } : {}), startedAt, endedAt, command: 'submit', machine: 'grader.test', sourceAddress: '203.0.113.7', status: 'complete', report: { ...report, startedAt } };
}

/** The course server's news of attempts, as the tests announce them. */
export class TestEvents implements AttemptEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  onAttempt(listener: (attempt: AttemptNotice) => void): () => void {
    this.emitter.on('attempt', listener);
    return () => this.emitter.off('attempt', listener);
  }
  announce(attempt: Attempt): void {
    this.emitter.emit('attempt', { id: attempt.id, lab: attempt.lab });
  }
}

export interface Course {
  store: CourseStore;
  events: TestEvents;
  secret: string;
  /** A token for each roster student, by lab. */
  tokens: Map<string, string>;
  url: string;
  server: Server;
  /** Records an attempt and announces it, as the course server does. */
  submit(report: LabReport, startedAt: string): Promise<Attempt>;
  close(): Promise<void>;
}

// A week after the tests run: the sample attempts (2025) and those the tests submit now are on time,
// whatever the day and hour the suite runs.
export const DEADLINE = new Date(Date.now() + 7 * 86_400_000).toISOString();

/** The store in `dir` with the sample class (or `labs` copies of it), served on 127.0.0.1. */
export async function openCourse(dir: string, options: { labs?: number; now?: () => Date } = {}): Promise<Course> {
  const store = await openStore(dir);
  const base = courseReports();
  const reports = options.labs === undefined ? base : Array.from({ length: options.labs }, (_, i) => ({ ...base[i % base.length]!, lab: `lab${String(i + 1).padStart(3, '0')}` }));
  const roster = options.labs === undefined ? Object.entries(STUDENTS).map(([lab, s]) => ({ lab, ...s })) : reports.map((r, i) => ({ lab: r.lab, id: `s${i + 1}`, name: `Student ${i + 1}` }));
  await store.putRoster([...roster, ...(options.labs === undefined ? [{ lab: 'lab13', id: 's-013', name: 'Not Yet Submitted' }] : [])], 'roster.csv');
  await store.setSetting('deadline', DEADLINE);
  const studentOf = new Map(roster.map((e) => [e.lab, e.id]));
  await store.recordAll(reports.map((r, i) => newAttempt(r, new Date(Date.parse('2026-12-07T14:00:00Z') + i * 1000).toISOString(), studentOf.get(r.lab))));
  const secret = await store.newBoardSecret();
  const tokens = new Map<string, string>();
  for (const entry of roster.slice(0, 12)) tokens.set(entry.lab, (await store.issueToken(entry.id, entry.lab)).token);
  const events = new TestEvents();
  const server = createServer(createWebApp({ store, events, coursePublicKey: COURSE_KEY, now: options.now ?? (() => new Date()), baseUrl: 'http://127.0.0.1' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    store,
    events,
    secret,
    tokens,
    url,
    server,
    async submit(report, startedAt) {
      const { attempt } = await store.record(newAttempt(report, startedAt, studentOf.get(report.lab)));
      events.announce(attempt);
      return attempt;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
