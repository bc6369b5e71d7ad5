// The course server end to end on loopback: a student's submit relays a simulated lab's three SSH
// servers to a server in this process, which grades through them and records the attempt.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../grader/core/roles.ts';
import { submitLab, type SubmitOptions } from '../../grader/server/submit-client.ts';
import { virshAnswerer } from '../../grader/server/virsh-relay-client.ts';
import { runLocal } from '../../grader/transport/local-shell.ts';
import { sh } from '../../grader/transport/shell-quote.ts';
import { fixturePath } from '../support/test-files.ts';
import { quickChecks } from '../support/simulated-class.ts';
import { startSimulatedLab, type SimulatedLab } from '../support/simulated-lab/simulated-lab.ts';
import { startTestCourseServer, type TestCourseServer } from '../support/course-server.ts';

let dir: string;
let labs: SimulatedLab[] = [];
let course: TestCourseServer;
const tokens = new Map<string, string>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlg-course-'));
  labs = await Promise.all(['a', 'b'].map((s) => startSimulatedLab({ name: `course-${s}-${process.pid}` })));
  course = await startTestCourseServer({ dir, keyPath: labs[0]!.keyPath, checks: await quickChecks() });
  await course.store.putRoster(labs.map((lab, i) => ({ lab: lab.name, id: `s${i}`, name: `Student ${i}` })), 'test');
  for (const [i, lab] of labs.entries()) tokens.set(lab.name, (await course.store.issueToken(`s${i}`, lab.name)).token);
}, 60_000);

afterAll(async () => {
  await course?.stop();
  await Promise.all(labs.map((lab) => lab.stop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function submit(lab: SimulatedLab, token: string, extra: Partial<SubmitOptions> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const vms = Object.fromEntries(ROLES.map((r) => [r, { host: lab.endpoints[r].host, port: lab.endpoints[r].port, user: lab.endpoints[r].user }])) as SubmitOptions['vms'];
  const outcome = await submitLab({ url: course.url, token, lab: lab.name, vms, color: false, stdout, stderr, ...extra });
  return { outcome, out, err };
}

describe('submit to a course server', () => {
  it('grades a good lab through the tunnel and records the attempt with its source', async () => {
    const lab = labs[0]!;
    const { outcome, out } = await submit(lab, tokens.get(lab.name)!);
    expect(outcome).toEqual({ kind: 'answered', exitCode: 0 });
    expect(out).toMatch(/recorded at \S+Z \(on time\), attempt 1, your page: http:\/\/test\/login\?token=/);
    const attempts = await course.store.attempts({ labs: [lab.name] });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ command: 'submit', status: 'complete', studentId: 's0', sourceAddress: '127.0.0.1' });
    expect(attempts[0]!.report!.summary.pass).toBe(attempts[0]!.report!.summary.total);
    // Every VM was reached through the student's client, which the lab saw connect.
    for (const role of ROLES) expect(lab.commands[role].length).toBeGreaterThan(0);
  });

  it('refuses a wrong token and a revoked one with one line, and records nothing', async () => {
    const lab = labs[1]!;
    const before = await course.store.countAttempts();
    expect((await submit(lab, 'not-a-token')).outcome).toEqual({ kind: 'refused-token' });
    const { token } = await course.store.issueToken('s1', lab.name);
    await course.store.revokeTokens('s1');
    expect((await submit(lab, token)).outcome).toEqual({ kind: 'refused-token' });
    expect(await course.store.countAttempts()).toBe(before);
  });

  it("refuses another student's token for this lab: a student submits only their own lab", async () => {
    const { outcome, err } = await submit(labs[1]!, tokens.get(labs[0]!.name)!);
    expect(outcome).toEqual({ kind: 'answered', exitCode: 2 });
    expect(err).toMatch(/^refused: this token is lab course-a-\d+'s, and your client found lab course-b-\d+: submit your own lab\n$/);
  });

  it('records a grading whose tunnel dropped as interrupted: errors, no fail, and the student told to submit again', async () => {
    const lab = labs[0]!;
    const before = (await course.store.attempts({ labs: [lab.name], reports: false })).length;
    const cut = new AbortController();
    let relays = 0;
    const { outcome } = await submit(lab, tokens.get(lab.name)!, {
      // Once the three VMs are connected, the student's machine goes away mid-grading.
      onRelay: () => {
        if (++relays === 3) setTimeout(() => cut.abort(), 300);
      },
      signal: cut.signal,
    });
    expect(outcome).toEqual({ kind: 'dropped' });
    let attempts = await course.store.attempts({ labs: [lab.name] });
    for (let i = 0; i < 100 && attempts.length === before; i++) {
      await new Promise((r) => setTimeout(r, 200));
      attempts = await course.store.attempts({ labs: [lab.name] });
    }
    const last = attempts.at(-1)!;
    expect(attempts).toHaveLength(before + 1);
    expect(last.status).toBe('interrupted');
    const statuses = last.report!.results.map((r) => r.status);
    expect(statuses).toContain('error');
    expect(statuses).not.toContain('fail');
  });
});

// The student's machine as the lab's hypervisor: real virsh, on libvirt's test driver playing a
// student's libvirt (fixtures/virsh/test-driver-lab.xml: the simulated lab's MACs, and a domain
// that is not the lab's). No VM needed.
describe("submit --hypervisor local: the grader's read-only virsh queries, relayed", () => {
  const uri = `test://${fixturePath('virsh/test-driver-lab.xml')}`;
  const domains = { vm1: 'lab-vm1', router: 'lab-router', vm3: 'lab-vm3' };

  it("the student's client runs only allowed queries about its own lab's domains, and refuses the rest unrun", async () => {
    const ran: string[][] = [];
    const answer = virshAnswerer({ uri, domains }, (u, args) => {
      ran.push(args);
      return runLocal(`virsh -c ${sh`${u}`} ${sh`${args}`}`);
    });
    const allowed = await answer(JSON.stringify([['dumpxml', 'lab-router']]));
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toMatch(/<uuid>4f1c2d3e-0000-4000-8000-000000000002<\/uuid>/);
    const stats = await answer(JSON.stringify([['domifstat', 'lab-router', 'testnet1'], ['domifstat', 'lab-router', 'testnet2']]));
    expect([stats.exitCode, stats.stdout.match(/^testnet\d rx_bytes/gm)]).toEqual([0, ['testnet1 rx_bytes', 'testnet2 rx_bytes']]);
    const before = ran.length;
    expect(await answer(JSON.stringify([['dumpxml', 'someone-else']]))).toEqual({ exitCode: 126, stdout: '', stderr: "refused by your client: domain 'someone-else' is not one of your lab's\n" });
    expect(await answer(JSON.stringify([['list', '--all']]))).toEqual({ exitCode: 126, stdout: '', stderr: "refused by your client: 'virsh list --all' is not one of the queries the grader may relay\n" });
    expect((await answer(JSON.stringify([['domifstat', 'someone-else', 'testnet0']]))).exitCode).toBe(126);
    expect(ran.length).toBe(before);
  });

  it("grades through the relay: the domains' identity from the student's machine, traffic evidence student-host, never hypervisor", async () => {
    const lab = labs[0]!;
    const { outcome, out } = await submit(lab, tokens.get(lab.name)!, { hypervisor: { uri, domains } });
    expect(outcome.kind, out).toBe('answered');
    const last = (await course.store.attempts({ labs: [lab.name] })).at(-1)!;
    expect(last.status).toBe('complete');
    const report = last.report!;
    expect(report.hosts.find((h) => h.role === 'router')?.identity?.domainUuid).toBe('4f1c2d3e-0000-4000-8000-000000000002');
    const traffic = report.results.filter((r) => ['ping', 'traceroute', 'iperf'].includes(r.kind));
    expect(traffic.length).toBeGreaterThan(0);
    expect(new Set(traffic.map((r) => r.evidenceScope))).toEqual(new Set(['student-host']));
    expect(report.results.flatMap((r) => r.evidence.map((e) => e.host))).not.toContain('hypervisor');
  });
});
