import { setTimeout as sleep } from 'node:timers/promises';
import { cleanupOnInterrupt } from '../../transport/remote-cleanups.ts';
import { sh } from '../../transport/shell-quote.ts';
import type { CommandResult } from '../../core/command-result.ts';
import type { RemoteHost } from '../../transport/remote-host.ts';
import { parseIperf3Json, type Iperf3Report } from '../../parse/iperf3.ts';
import { macOf } from '../../hypervisor/domain-nic.ts';
import { type Role, ROLES } from '../../core/roles.ts';
import type { LabAccess } from '../../lab/lab-access.ts';
import { defineKind, numberParam, optionalRoleParam, type CheckContext, type NeedsLiveRun } from '../check-kind.ts';
import { isLoaded } from '../../parse/loadavg.ts';
import { evidenceOf, isMissingTool, parseOutput, requireCompleted } from '../../core/command-output.ts';
import { CannotGrade } from '../../core/outcomes.ts';
import type { CheckResult, Evidence, Measurements, Verdict } from '../../core/result.ts';
import { observeTraffic, trafficEnds } from '../traffic-template.ts';
import { domainModelOf } from '../nic-model.ts';
import { missingTool, peerParam, WRITTEN_BEFORE_SUBJECTS } from '../traffic-parts.ts';
import { rehearWitnesses, type Witness } from '../witnesses.ts';
import { peerWitness, translationEnds, type TranslationEnds } from '../translation.ts';

export interface IperfParams {
  /** The VM that runs the one-off iperf3 server; defaults to the other end of the path. */
  to?: Role;
  durationSeconds: number;
  floorMbps: number;
  port: number;
}

export function iperfMeasurements(report: Iperf3Report): Measurements {
  const m: Measurements = {};
  if (report.receiverMbps !== undefined) m.throughputMbps = Math.round(report.receiverMbps * 100) / 100;
  if (report.senderMbps !== undefined) m.senderMbps = Math.round(report.senderMbps * 100) / 100;
  if (report.retransmits !== undefined) m.retransmits = report.retransmits;
  if (report.durationSeconds !== undefined) m.durationSeconds = report.durationSeconds;
  return m;
}

export function evaluateIperf(report: Iperf3Report, target: string, floorMbps: number, evidence: Evidence[], model?: string): Verdict {
  return judgeThroughput(iperfMeasurements(report), report.error, target, floorMbps, evidence, model);
}

export type IperfReason = 'above-floor' | 'below-floor' | 'iperf-failed';

/** What an iperf verdict is about: the server's address, the figure and floor, the NIC model when known. */
export interface IperfSubject {
  target: string;
  floorMbps: number;
  mbps?: number;
  /** iperf3's own error (`iperf-failed`). */
  error?: string;
  /** The client VM's NIC model, named because the next exercise compares the figure across models. */
  model?: string;
}

// Every sentence of an iperf verdict, from its reason and subject.
export function iperfSentence(reason: IperfReason, s: IperfSubject): string {
  const model = s.model ? `, ${s.model} NICs` : '';
  switch (reason) {
    case 'iperf-failed':
      return `iperf3 to ${s.target} failed: ${s.error ?? 'no figure'}`;
    case 'below-floor':
      return `${s.mbps} Mbit/s to ${s.target}, below the floor of ${s.floorMbps} Mbit/s${model}`;
    case 'above-floor':
      return `${s.mbps} Mbit/s to ${s.target} (floor ${s.floorMbps} Mbit/s)${model}`;
  }
}

/** What the first of two runs measured, when the hypervisor was loaded (a note on the result line). */
export function measuredTwiceNote(first: { mbps: number; load1: number; cpus: number }): string {
  return `measured twice: the first run gave ${first.mbps} Mbit/s while the hypervisor's load was ${first.load1} on ${first.cpus} CPUs`;
}

// The floor applied to what iperf3 measured (or the error it reported): a pure function of the
// figures, used when grading and when a stored result is re-scored under another floor.
export function judgeThroughput(measurements: Measurements, error: string | undefined, target: string, floorMbps: number, evidence: Evidence[], model?: string): Verdict {
  const expected = `at least ${floorMbps} Mbit/s from VM to ${target}`;
  const base: IperfSubject = { target, floorMbps, ...(model ? { model } : {}) };
  const verdict = (status: Verdict['status'], reason: IperfReason, subject: IperfSubject, actual: string): Verdict => ({
    status, reason, subject: { ...subject }, message: iperfSentence(reason, subject), expected, actual, evidence, measurements,
  });
  if (error) return verdict('fail', 'iperf-failed', { ...base, error }, error);
  const mbps = measurements.throughputMbps;
  if (mbps === undefined) throw new CannotGrade('iperf3 reported no received throughput', evidence);
  const actual = `${mbps} Mbit/s received`;
  if (mbps < floorMbps) return verdict('fail', 'below-floor', { ...base, mbps }, actual);
  return verdict('pass', 'above-floor', { ...base, mbps }, actual);
}

// A stored iperf result under another floor: the same figure, heard by the same witnesses. A run
// that measured no figure (iperf3 failed, not installed, could not be graded) stands as it was.
export function rejudgeIperf(stored: CheckResult, params: IperfParams): Verdict | NeedsLiveRun | undefined {
  if (stored.status === 'error' || stored.measurements.throughputMbps === undefined) return undefined;
  const { target, model } = stored.subject ?? {};
  if (typeof target !== 'string') return { needsLiveRun: WRITTEN_BEFORE_SUBJECTS };
  if (stored.measurements.durationSeconds !== undefined && Math.abs(stored.measurements.durationSeconds - params.durationSeconds) > 0.5) {
    return { needsLiveRun: `it measured ${stored.measurements.durationSeconds} s, the check file now asks for ${params.durationSeconds} s` };
  }
  const judged = judgeThroughput(stored.measurements, undefined, target, params.floorMbps, stored.evidence, typeof model === 'string' ? model : undefined);
  return rehearWitnesses(judged, stored);
}

// VM3's iperf3 server saw the test: from VM1's internal address, at the throughput the client
// reported (the client's received figure comes from the server, so a real run agrees closely).
// A server that saw the router's own address names a translation (NAT), not a disagreement.
export function serverWitness(server: Iperf3Report | undefined, client: Iperf3Report, expectedClient: string, ends?: TranslationEnds): Witness {
  const name = "the iperf3 server's own report";
  if (!server || server.receiverMbps === undefined) return { name, agrees: false, detail: 'the server on the other VM measured no test' };
  const from = server.remoteHost;
  const mbps = server.receiverMbps;
  const detail = `received ${mbps.toFixed(1)} Mbit/s from ${from ?? 'an unknown address'}`;
  if (from !== expectedClient) return (ends && peerWitness(from, ends)) ?? { name, agrees: false, detail: `${detail}, not from ${expectedClient}` };
  const ratio = client.receiverMbps === undefined ? 0 : mbps / client.receiverMbps;
  if (ratio < 0.8 || ratio > 1.25) return { name, agrees: false, detail: `${detail}, the client says ${client.receiverMbps?.toFixed(1)} Mbit/s` };
  return { name, agrees: true, detail };
}

// iperf3's JSON is long: the evidence keeps its figures, or the raw output when it is unreadable.
function serverReport(result: CommandResult | undefined): Iperf3Report | undefined {
  try {
    return result ? parseIperf3Json(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}

function summarised(role: Role, result: CommandResult): Evidence {
  try {
    const r = parseIperf3Json(result.stdout);
    const parts = [
      r.error && `error: ${r.error}`,
      r.receiverMbps !== undefined && `received ${r.receiverMbps.toFixed(1)} Mbit/s`,
      r.senderMbps !== undefined && `sent ${r.senderMbps.toFixed(1)} Mbit/s`,
      r.durationSeconds !== undefined && `over ${r.durationSeconds.toFixed(1)} s`,
      r.retransmits !== undefined && `${r.retransmits} retransmits`,
      r.localHost && r.remoteHost && `${r.localHost} -> ${r.remoteHost}`,
    ].filter(Boolean);
    return evidenceOf(role, result, `${parts.join(', ')} (iperf3 JSON, summarised)`);
  } catch {
    return evidenceOf(role, result);
  }
}

const PID_PREFIX = '/tmp/router-lab-grader-iperf3-';
/** How long after the client's end the one-off server may take to print its report. */
const SERVER_REPORT_WAIT_MS = 5000;

// The server VM's internal NIC by MAC (unique even where VMs share a /tmp, as namespaces do).
function serverIdentity(lab: LabAccess, role: Role): string {
  const endpoint = lab.internalEndpoint(role);
  const mac = macOf(lab.facts(role).interfaces, endpoint.interface);
  return (mac ?? endpoint.address).replace(/[^0-9a-fA-F.]/g, '');
}

const REFUSED = /Connection refused/i;
const OLD_IPERF3 = /unrecognized option.*connect-timeout/i;

// How long the client keeps retrying a refused connection while the one-off server starts (it
// prints nothing until it ends, so there is no "ready" to wait for), and how often.
const SERVER_START_WAIT_MS = 3_000;
const RETRY_INTERVAL_MS = 50;

/** The client's command; an iperf3 older than 3.1 has no --connect-timeout. */
export function iperfClientCommand(target: string, params: Pick<IperfParams, 'port' | 'durationSeconds'>, connectTimeoutMs: number | undefined): string {
  const timeout = connectTimeoutMs === undefined ? [] : ['--connect-timeout', String(connectTimeoutMs)];
  return sh`iperf3 -J -c ${target} -p ${params.port} -t ${params.durationSeconds} ${timeout}`;
}

/**
 * The one-off server's command, its pid in `pidFile`: a server a killed run left on that pid file
 * is stopped first; exit 127 when iperf3 is not installed.
 */
export function iperfServerCommand(pidFile: string, port: number): string {
  return sh`[ -f ${pidFile} ] && kill "$(cat ${pidFile})" 2>/dev/null && sleep 0.3; command -v iperf3 >/dev/null || exit 127; echo $$ > ${pidFile}; exec iperf3 -s -1 -J -p ${port}`;
}

/** Stops the server of `pidFile`, if it still runs. */
export function stopServerCommand(pidFile: string): string {
  return sh`kill $(cat ${pidFile}) 2>/dev/null; rm -f ${pidFile}`;
}

// Runs the client, retrying while the server is still starting. A blocked path fails the control
// connection after CONNECT_TIMEOUT_MS rather than TCP's minutes.
async function runClient(client: RemoteHost, target: string, params: IperfParams, serverDone: () => boolean): Promise<CommandResult> {
  const timeoutMs = (params.durationSeconds + 15) * 1000;
  const giveUpAt = performance.now() + SERVER_START_WAIT_MS;
  let connectTimeoutMs: number | undefined = CONNECT_TIMEOUT_MS;
  for (;;) {
    const result = await client.run(iperfClientCommand(target, params, connectTimeoutMs), { timeoutMs });
    const output = result.stdout + result.stderr;
    if (OLD_IPERF3.test(output) && connectTimeoutMs !== undefined) {
      connectTimeoutMs = undefined;
      continue;
    }
    if (performance.now() >= giveUpAt || serverDone() || !REFUSED.test(output)) return result;
    await sleep(RETRY_INTERVAL_MS);
  }
}

const CONNECT_TIMEOUT_MS = 5000;

// One measurement: a one-off server, the client, the server's report and the router's counters as
// witnesses. Records when it ran and how loaded the hypervisor was.
async function measureOnce(context: CheckContext<IperfParams>): Promise<Verdict> {
  const load = await context.lab.hypervisorLoad?.();
  const startedAtMs = Date.now();
  const verdict = await measureWithoutTiming(context);
  const timing: Measurements = { startedAtMs, endedAtMs: Date.now(), ...(load ? { hypervisorLoad1: load.load1, hypervisorCpus: load.cpus } : {}) };
  return { ...verdict, measurements: { ...verdict.measurements, ...timing } };
}

// Below the floor while the hypervisor was loaded: the crowd may have been measured, not the lab.
// Measured once more; the second figure decides, and the message says what the first was.
async function measureAgainIfLoaded(context: CheckContext<IperfParams>): Promise<Verdict> {
  const first = await measureOnce(context);
  const m = first.measurements ?? {};
  const below = first.status === 'fail' && m.throughputMbps !== undefined && m.throughputMbps < context.params.floorMbps;
  const loaded = m.hypervisorLoad1 !== undefined && m.hypervisorCpus !== undefined && isLoaded({ load1: m.hypervisorLoad1, cpus: m.hypervisorCpus });
  if (!below || !loaded) return first;
  const second = await measureOnce(context);
  const firstRun = { mbps: m.throughputMbps!, load1: m.hypervisorLoad1!, cpus: m.hypervisorCpus! };
  return {
    ...second,
    subject: { ...second.subject, firstRun },
    message: `${second.message} (${measuredTwiceNote(firstRun)})`,
    evidence: [...first.evidence, ...second.evidence],
    measurements: { ...second.measurements, firstThroughputMbps: m.throughputMbps!, firstStartedAtMs: m.startedAtMs!, firstEndedAtMs: m.endedAtMs!, measuredTimes: 2 },
  };
}

async function measureWithoutTiming(context: CheckContext<IperfParams>): Promise<Verdict> {
  const { lab, params } = context;
  const { host, targetRole: serverRole, target } = trafficEnds(context);
  const client = lab.remote(host);
  const server = lab.remote(serverRole);

  // Named after the server's NIC and port, so that a server left there by a killed run (it would
  // hold the port until its deadline) is stopped first, and no other.
  const pidFile = `${PID_PREFIX}${serverIdentity(lab, serverRole)}-${params.port}.pid`;
  let serverResult: CommandResult | undefined;
  let serverLost: unknown;
  const serverRun = server
    .run(iperfServerCommand(pidFile, params.port), {
      timeoutMs: (params.durationSeconds + 25) * 1000,
    })
    .then(
      (r) => (serverResult = r),
      (error: unknown) => (serverLost = error),
    );
  const stopServer = () => server.run(stopServerCommand(pidFile), { timeoutMs: 5000 }).catch(() => undefined);
  // Ctrl-C ends the grader before this check's `finally`: the server must not outlive it.
  const unregister = cleanupOnInterrupt(stopServer);
  try {
    const traffic = await observeTraffic(lab, host, target, () => runClient(client, target, params, () => serverResult !== undefined || serverLost !== undefined), serverRole);
    const result = traffic.value;
    requireCompleted(host, result);
    // A server that could not even be run is no fault of the student's network.
    if (serverLost) throw serverLost;
    // The one-off server ends right after the test; its own report is a second witness.
    await Promise.race([serverRun, sleep(SERVER_REPORT_WAIT_MS, undefined, { ref: false })]);
    if (serverLost) throw serverLost;
    const evidence = [summarised(host, result), ...(serverResult ? [summarised(serverRole, serverResult)] : [])];
    if (isMissingTool(result, 'iperf3')) return missingTool(host, 'iperf3', 'iperf3', evidence);
    if (serverResult && isMissingTool(serverResult, 'iperf3')) return missingTool(serverRole, 'iperf3', 'iperf3', evidence);
    const report = parseOutput(host, result, parseIperf3Json);
    // The figure is compared across NIC models in the next exercise: name the model when known.
    const model = domainModelOf(lab, host, lab.internalEndpoint(host).interface);
    const verdict = evaluateIperf(report, target, params.floorMbps, evidence, model);
    if (report.error || report.receiverMbps === undefined) return verdict;
    if (!serverResult) {
      // A server still waiting for its test saw none: stopped now, it answers with no report. One
      // that does not even answer to that could not be asked.
      await stopServer();
      await Promise.race([serverRun, sleep(SERVER_REPORT_WAIT_MS, undefined, { ref: false })]);
      if (!serverResult) throw new CannotGrade(`the iperf3 server on ${serverRole} did not report within ${SERVER_REPORT_WAIT_MS / 1000} s of the test's end`, evidence);
      evidence.push(summarised(serverRole, serverResult));
    }
    const bytes = (report.receiverMbps * 1e6 * params.durationSeconds) / 8;
    return traffic.heard(verdict, [serverWitness(serverReport(serverResult), report, lab.internalEndpoint(host).address, translationEnds(lab, host, serverRole))], {
        unit: 'bytes',
        // The data in (from the client's NIC) and out (toward the server), headers included;
        // the ACKs back, a few per cent of it. The receiver's figure undercounts what was sent:
        // retransmits, the data in flight when the test ends, the sender's first burst (seen on an
        // e1000 VM lab: 1.6 times the receiver's bytes). The upper bound is for tampering, which
        // invents orders of magnitude.
        toward: { min: Math.floor(0.8 * bytes), max: Math.ceil(4 * bytes) + 1_000_000 },
        back: { min: 1000, max: Math.ceil(0.25 * bytes) },
        // Segments may be counted merged up to 64 KiB each (GRO): the least a real transfer forwards.
        forwarded: { min: Math.max(10, Math.floor(bytes / 131_072)), max: Number.MAX_SAFE_INTEGER },
        target: serverRole === 'vm1' ? 'vm1' : 'vm3',
      });
  } finally {
    // The server ends by itself after one test; if no test came, it must not outlive the check.
    await stopServer();
    unregister();
    await serverRun;
  }
}

export const iperf = defineKind<IperfParams>({
  kind: 'iperf',
  summary: "iperf3 from the VM to a one-off iperf3 server on the other VM's internal address reaches a throughput floor; the figure is reported either way.",
  scope: 'host',
  allowedHosts: ['vm1', 'vm3'],
  defaultHosts: ['vm1'],
  phase: 'measure',
  params: (raw) => ({ to: optionalRoleParam(raw, 'to', ROLES), durationSeconds: numberParam(raw, 'durationSeconds'), floorMbps: numberParam(raw, 'floorMbps'), port: numberParam(raw, 'port') }),
  needs: () => ROLES,
  rescoring: { thresholds: ['floorMbps'], reEvaluate: rejudgeIperf },
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      to: peerParam('that runs the iperf3 server'),
      durationSeconds: { type: 'integer', minimum: 1, maximum: 60, default: 5, description: 'Length of the measurement (iperf3 -t)' },
      floorMbps: { type: 'number', exclusiveMinimum: 0, maximum: 1000000, default: 100, description: 'Lowest throughput in Mbit/s that passes' },
      port: { type: 'integer', minimum: 1024, maximum: 65535, default: 5201, description: 'TCP port of the one-off server' },
    },
  },
  run: measureAgainIfLoaded,
});
