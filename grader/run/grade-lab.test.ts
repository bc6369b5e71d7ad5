// gradeLab itself, without root, SSH or sockets: the lab is replayed from recorded outputs
// (test/support/simulated-lab/replay-lab.ts) through the transport contract, and graded with
// checks/exercise.yaml. Scoring, the phases and their order, the witnesses, what a VM that is down
// does to each result, and the exit code of `npm run grade`.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CheckSpec } from '../config/check-file.ts';
import { resolveLab } from '../config/resolve-lab.ts';
import type { LabReport } from '../core/lab-report.ts';
import type { Status } from '../core/result.ts';
import { ROLES, type Role } from '../core/roles.ts';
import { parseCliArgs } from '../cli/args.ts';
import { gradeOne } from '../cli/grade-one.ts';
import { expectedFor } from '../../test/e2e/expected-verdicts.ts';
import { EXERCISE_CHECKS, exerciseResult, RESULT_KEYS, resultKey, vmsNeededBy } from '../../test/support/exercise-results.ts';
import { goodLab } from '../../test/support/simulated-lab/recorded-lab.ts';
import { replayLab, type CommandSpan, type ReplayLab, type ReplayLabOptions } from '../../test/support/simulated-lab/replay-lab.ts';
import { fixture, testDir } from '../../test/support/test-files.ts';
import { renderJson } from '../report/json.ts';
import { validateKeptReport } from '../report/read-report.ts';
import { renderConsole } from '../report/console.ts';
import { gradeLab } from './grade-lab.ts';

const checks: CheckSpec[] = [...EXERCISE_CHECKS];

async function grade(options: ReplayLabOptions = {}): Promise<{ lab: ReplayLab; report: LabReport }> {
  const lab = replayLab(options);
  const report = await gradeLab(lab.target, checks, { connect: (target) => lab.connect(target) });
  return { lab, report };
}

const statusesOf = (report: LabReport) => Object.fromEntries(report.results.map((r) => [resultKey(r), r.status])) as Record<string, Status>;
const verdictLines = (report: LabReport) => report.results.map((r) => `${resultKey(r)}: ${r.status} ${r.points}/${r.maxPoints}: ${r.message}`).join('\n');
const allPass = () => Object.fromEntries(RESULT_KEYS.map((k) => [k, 'pass']));
const pointsOf = (key: string) => exerciseResult(key).spec.points;

// The lab the simulation plays with forwarding off on the router.
function withoutForwarding() {
  const topology = goodLab();
  topology.router.ipForward = '0\n';
  return topology;
}

describe('gradeLab on a replayed good lab', () => {
  it('gives one result per check and host of checks/exercise.yaml, in its order, every one a pass with full points', async () => {
    const { lab, report } = await grade();
    expect(report.results.map(resultKey)).toEqual([...RESULT_KEYS]);
    expect(statusesOf(report), verdictLines(report)).toEqual(allPass());
    for (const r of report.results) expect(r.points, resultKey(r)).toBe(pointsOf(resultKey(r)));
    const total = RESULT_KEYS.reduce((sum, k) => sum + pointsOf(k), 0);
    expect({ score: report.score, maxScore: report.maxScore }).toEqual({ score: total, maxScore: total });
    expect(report.summary).toEqual({ pass: RESULT_KEYS.length, fail: 0, error: 0, total: RESULT_KEYS.length });
    expect(report.hosts.map((h) => [h.role, h.reachable])).toEqual(ROLES.map((r) => [r, true]));
    expect(lab.state.unexpected).toEqual([]);
    expect(lab.openHosts(), 'every connection closed').toBe(0);
    expect(lab.state.runningIperfServers()).toBe(0);
  });

  it('the witnesses confirm every traffic check: the router counted what crossed it', async () => {
    const { report } = await grade();
    for (const r of report.results.filter((r) => exerciseResult(resultKey(r)).spec.kind.phase !== 'inspect')) {
      expect(r.actual, resultKey(r)).toMatch(/the router's counters agrees: [1-9]\d* datagrams forwarded/);
      expect(r.actual, resultKey(r)).toMatch(/VM3's own counters agrees: \S+ \+[1-9]\d* (packets|bytes) in, \+[1-9]\d* out/);
    }
  });
});

describe('gradeLab, phases', () => {
  // Which tool each check kind runs on the VM (the responder that answers it).
  const TOOL: Record<string, string> = { virtio: 'virtio probe', 'ip-forward': 'ip_forward', routes: 'ip route get', ping: 'ping', traceroute: 'traceroute', iperf: 'iperf3 client' };
  // A command belongs to a check when it is that check's tool on one of its hosts (traceroute also asks
  // the router's route, and each traffic check the sending VM's own: only a VM's first `ip route get`
  // is its routes check's).
  const firstOf = (spans: CommandSpan[], span: CommandSpan) => spans.find((s) => s.responder === span.responder && s.role === span.role) === span;
  const phaseOf = (span: CommandSpan, spans: CommandSpan[]) =>
    span.responder === TOOL.routes && !firstOf(spans, span) ? undefined : checks.find((c) => TOOL[c.kind.kind] === span.responder && c.hosts.includes(span.role))?.kind.phase;
  const overlap = (a: CommandSpan, b: CommandSpan) => a.startedMs < b.endedMs! && b.startedMs < a.endedMs!;
  const describeSpan = (s: CommandSpan) => `${s.role} ${s.responder} ${s.startedMs.toFixed(1)}-${s.endedMs?.toFixed(1)} ms`;

  it('inspects first, all at once; then each traffic check alone, in check-file order; the measurement last, alone', async () => {
    const { lab } = await grade();
    const spans = lab.timeline.filter((s) => phaseOf(s, lab.timeline) !== undefined);
    const inPhase = (phase: string) => spans.filter((s) => phaseOf(s, lab.timeline) === phase);
    const [inspect, traffic, measure] = [inPhase('inspect'), inPhase('traffic'), inPhase('measure')];
    expect(inspect.length).toBeGreaterThan(0);
    expect(traffic.map((s) => s.responder)).toEqual(checks.filter((c) => c.kind.phase === 'traffic').map((c) => TOOL[c.kind.kind]));
    expect(measure.map((s) => s.responder)).toEqual(['iperf3 client']);
    // Inspections run concurrently: the second started before the first ended.
    expect(inspect.some((s, i) => inspect.some((t, j) => i !== j && overlap(s, t))), inspect.map(describeSpan).join('\n')).toBe(true);
    const lastInspection = Math.max(...inspect.map((s) => s.endedMs!));
    for (const s of [...traffic, ...measure]) expect(s.startedMs, `${describeSpan(s)} after every inspection`).toBeGreaterThanOrEqual(lastInspection);
    const alone = [...traffic, ...measure];
    for (const [i, s] of alone.entries()) {
      for (const t of alone.slice(i + 1)) expect(overlap(s, t), `${describeSpan(s)} and ${describeSpan(t)} ran at once`).toBe(false);
    }
    expect(Math.min(...measure.map((s) => s.startedMs))).toBeGreaterThanOrEqual(Math.max(...traffic.map((s) => s.endedMs!)));
  });
});

describe('gradeLab, scoring', () => {
  it('a failed result earns no points; the score is the sum of the points of the passed ones', async () => {
    const { report } = await grade({ topology: withoutForwarding() });
    const statuses = statusesOf(report);
    // Forwarding off: ip-forward fails, and nothing reaches VM3 through the router.
    expect(statuses, verdictLines(report)).toEqual({ ...allPass(), 'ip-forward router': 'fail', 'ping vm1': 'fail', 'traceroute vm1': 'fail', 'iperf vm1': 'fail' });
    for (const r of report.results) {
      expect(r.points, resultKey(r)).toBe(r.status === 'pass' ? pointsOf(resultKey(r)) : 0);
      expect(r.maxPoints, resultKey(r)).toBe(pointsOf(resultKey(r)));
      if (r.status !== 'pass') expect(r.hint, `${resultKey(r)} has the check's hint`).toBe(exerciseResult(resultKey(r)).spec.hint);
    }
    const passed = RESULT_KEYS.filter((k) => statuses[k] === 'pass');
    expect(report.score).toBe(passed.reduce((sum, k) => sum + pointsOf(k), 0));
    expect(report.score).toBeLessThan(report.maxScore);
    expect(report.summary).toEqual({ pass: passed.length, fail: RESULT_KEYS.length - passed.length, error: 0, total: RESULT_KEYS.length });
  });
});

describe('gradeLab, a file mounted over ip_forward (issue 25, item 2)', () => {
  it("fails ip-forward when the file reads 1 and the router's kernel says it does not forward, naming both", async () => {
    const topology = withoutForwarding();
    topology.router.ipForwardShown = '1\n';
    const { report } = await grade({ topology });
    const result = report.results.find((r) => resultKey(r) === 'ip-forward router')!;
    expect(result, verdictLines(report)).toMatchObject({ status: 'fail', points: 0, reason: 'forwarding-contradicted' });
    expect(result.message).toMatch(/reads 1, but the router's kernel does not forward/);
    expect(result.actual).toContain('Ip Forwarding = 2');
    expect(statusesOf(report)).toEqual({ ...allPass(), 'ip-forward router': 'fail', 'ping vm1': 'fail', 'traceroute vm1': 'fail', 'iperf vm1': 'fail' });
  });
});

describe('gradeLab, hooks and mounts for the instructor to review (issue 25, item 1)', () => {
  it('flags nothing on a lab whose VMs show none, and says its verdicts rest on the VMs\' word only', async () => {
    const { report } = await grade();
    expect(report.review).toBeUndefined();
    expect(report.evidenceBasis).toMatchObject({ hypervisor: false, note: expect.stringContaining("the lab server's hypervisor") });
    expect(report.evidenceBasis!.inVmOnly).toContain('ping vm1');
  });

  it("carries each sign the router showed (recorded kit) into the report, on the router, without changing a verdict", async () => {
    const topology = goodLab();
    topology.router.tamperSigns = fixture('tampering/kit-vm.txt');
    const { report } = await grade({ topology });
    expect(report.review?.map((f) => `${f.host} ${f.sign}`), JSON.stringify(report.review)).toEqual(['router rc-hook', 'router ssh-rc', 'router force-command', 'router proc-sys-mount', 'router ld-preload', 'router shell-replaced']);
    expect(statusesOf(report), verdictLines(report)).toEqual(allPass());
    const json = JSON.parse(renderJson(report)) as { review: unknown[] };
    expect(json.review).toHaveLength(6);
    expect(validateKeptReport(json)).toMatchObject({ ok: true });
    expect(renderConsole(report, { color: false })).toMatch(/For the instructor to review\n- router: \/root\/.bashrc runs before every command/);
  });
});

describe('gradeLab with a VM down', () => {
  it.each(ROLES)('%s down: exactly the results that need it are errors naming it, with no points; the rest are graded', async (down: Role) => {
    const reason = 'connect ECONNREFUSED (replayed)';
    const { lab, report } = await grade({ down: { [down]: reason } });
    const needing = RESULT_KEYS.filter((k) => vmsNeededBy(k).includes(down));
    expect(needing.length).toBeGreaterThan(0);
    expect(statusesOf(report), verdictLines(report)).toEqual({ ...allPass(), ...Object.fromEntries(needing.map((k) => [k, 'error'])) });
    const target = lab.target.vms[down];
    for (const r of report.results.filter((r) => r.status === 'error')) {
      expect(r.message, resultKey(r)).toContain(`(${target.user}@${target.host}) could not be graded: ${reason}`);
      expect(r.points, resultKey(r)).toBe(0);
      // The check file's hint is about building the lab; one never inspected gets none.
      expect(r.hint, `${resultKey(r)} carries no exercise hint`).toBeUndefined();
    }
    expect(report.hosts.find((h) => h.role === down)).toMatchObject({ reachable: false, error: reason });
    expect(lab.state.commands[down]).toEqual([]);
  });

  it('the router down is graded as the reference lab grades it (but the simulated VMs are VirtIO)', async () => {
    const { report } = await grade({ down: { router: 'no route to host' } });
    const expected = Object.fromEntries(RESULT_KEYS.map((k) => [k, k === 'virtio vm1' || k === 'virtio vm3' ? 'pass' : expectedFor('router-down', k).status]));
    expect(statusesOf(report), verdictLines(report)).toEqual(expected);
  });
});

describe('gradeLab, witnesses', () => {
  it("a pass the router's counters cannot confirm (the router was reached, its counters unreadable) is an error, never a pass", async () => {
    const { report } = await grade({ faults: { router: { kind: 'garbage', command: /\/statistics\/rx_packets/ } } });
    const traffic = RESULT_KEYS.filter((k) => exerciseResult(k).spec.kind.phase !== 'inspect');
    expect(statusesOf(report), verdictLines(report)).toEqual({ ...allPass(), ...Object.fromEntries(traffic.map((k) => [k, 'error'])) });
    for (const r of report.results.filter((r) => r.status === 'error')) {
      expect(r.message, resultKey(r)).toMatch(/^could not confirm: .*, but the router's counters: the router was reached, but its counters could not be read/);
      expect(r.points).toBe(0);
    }
  });
});

describe('gradeLab, commands that misbehave', () => {
  it('a command that never ends makes its result an error at its deadline; the rest is graded', async () => {
    const { lab, report } = await grade({ faults: { vm1: { kind: 'hang', command: /^ping / } } });
    expect(statusesOf(report), verdictLines(report)).toEqual({ ...allPass(), 'ping vm1': 'error' });
    expect(report.results.find((r) => resultKey(r) === 'ping vm1')?.message).toMatch(/^`ping -c \d+ .*` on vm1 did not finish in time/);
    expect(lab.state.runningIperfServers()).toBe(0);
  });

  it("a connection lost during a check makes that check and every later one on the VM errors", async () => {
    const { report } = await grade({ faults: { vm3: { kind: 'drop', command: /^ip route get / } } });
    expect(statusesOf(report), verdictLines(report)).toEqual({ ...allPass(), 'routes vm3': 'error', 'iperf vm1': 'error' });
    expect(report.results.find((r) => resultKey(r) === 'routes vm3')?.message).toMatch(/^lost the connection to vm3: /);
  });
});

describe('npm run grade on a replayed lab', () => {
  async function exitCodeOf(options: ReplayLabOptions): Promise<{ code: number; report: LabReport }> {
    const dir = await testDir('rlg-grade-one-');
    const lab = replayLab({ ...options, name: 'lab7' });
    const vms = ROLES.map((r) => `    ${r}: { address: ${lab.target.vms[r].host}, user: student }`).join('\n');
    await writeFile(join(dir, 'labs.yaml'), `labs:\n  lab7:\n${vms}\n`);
    const args = parseCliArgs(['--host', 'lab7', '--inventory', join(dir, 'labs.yaml'), '--out', join(dir, 'reports')]);
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await gradeOne(await resolveLab(join(dir, 'labs.yaml'), 'lab7'), args, checks, { connect: (target) => lab.connect(target) });
      return { code, report: JSON.parse(await readFile(join(dir, 'reports', 'lab7.json'), 'utf8')) as LabReport };
    } finally {
      quiet.mockRestore();
    }
  }

  it('exits 0 when every result passed', async () => {
    const { code, report } = await exitCodeOf({});
    expect(report.summary.pass).toBe(RESULT_KEYS.length);
    expect(code).toBe(0);
  });

  it('exits 1 when a result failed, and when one could not be graded', async () => {
    expect((await exitCodeOf({ topology: withoutForwarding() })).code).toBe(1);
    const { code, report } = await exitCodeOf({ faults: { router: { kind: 'garbage', command: /\/statistics\/rx_packets/ } } });
    expect(report.summary.fail).toBe(0);
    expect(report.summary.error).toBeGreaterThan(0);
    expect(code).toBe(1);
  });
});
