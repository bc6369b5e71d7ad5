import { sh } from '../../transport/shell-quote.ts';
import { parsePing, type PingSummary } from '../../parse/ping.ts';
import { type Role, ROLES } from '../../core/roles.ts';
import { defineKind, numberParam, optionalRoleParam, type NeedsLiveRun, type RawParams } from '../check-kind.ts';
import { evidenceOf, isMissingTool, parseOutput, requireCompleted } from '../../core/command-output.ts';
import type { CheckResult, Evidence, Measurements, Verdict } from '../../core/result.ts';
import { observeTraffic, trafficEnds } from '../traffic-template.ts';
import { missingTool, networkRefusal, peerParam, WRITTEN_BEFORE_SUBJECTS } from '../traffic-parts.ts';
import { rehearWitnesses, type Witness } from '../witnesses.ts';

export interface PingParams {
  /** The VM whose internal address is pinged; defaults to the other end of the path. */
  to?: Role;
  count: number;
  intervalSeconds: number;
  maxLossPercent: number;
}

/** What ping's verdict is judged on: its counts, loss, rtt and reply TTLs. */
export type PingFigures = Pick<PingSummary, 'transmitted' | 'received' | 'lossPercent' | 'rtt' | 'ttls'>;

export function pingMeasurements(s: PingFigures): Measurements {
  const m: Measurements = { transmitted: s.transmitted, received: s.received, lossPercent: s.lossPercent };
  if (s.rtt) Object.assign(m, { rttMinMs: s.rtt.minMs, rttAvgMs: s.rtt.avgMs, rttMaxMs: s.rtt.maxMs });
  if (s.ttls.length > 0) m.replyTtl = Math.min(...s.ttls);
  return m;
}

export type PingReason = 'replied' | 'no-reply' | 'loss-above' | 'network-refused';

/** What a ping verdict is about: the target, what ping counted and the threshold it was held to. */
export interface PingSubject {
  target: string;
  sent: number;
  received: number;
  lossPercent: number;
  rttAvgMs?: number;
  maxLossPercent: number;
  /** The replies the check asked for (`ping -c`) and the deadline it gave ping (`-w`): with no reply, ping keeps sending until the deadline. */
  count?: number;
  deadlineSeconds?: number;
  /** The tool's refusal (`network-refused`): the last line it printed. */
  refusal?: string;
}

// Every sentence of a ping verdict, from its reason and subject.
export function pingSentence(reason: PingReason, s: PingSubject): string {
  switch (reason) {
    case 'network-refused':
      return `ping to ${s.target} failed: ${s.refusal ?? 'the network refused it'}`;
    case 'no-reply':
      if (s.count !== undefined && s.deadlineSeconds !== undefined && s.sent > s.count) {
        return `no reply from ${s.target}: ${s.sent} echo requests sent in ${s.deadlineSeconds} s (ping -c ${s.count} keeps sending until ${s.count} replies come or its ${s.deadlineSeconds} s deadline passes)`;
      }
      return `no reply from ${s.target} (${s.sent} sent)`;
    case 'loss-above':
      return `${s.lossPercent}% loss to ${s.target}, above the ${s.maxLossPercent}% allowed`;
    case 'replied':
      return `${s.target} answers: ${s.received}/${s.sent} replies, ${s.lossPercent}% loss${s.rttAvgMs !== undefined ? `, rtt avg ${s.rttAvgMs} ms` : ''}`;
  }
}

function pingVerdict(status: Verdict['status'], reason: PingReason, subject: PingSubject, rest: Omit<Verdict, 'status' | 'reason' | 'subject' | 'message'>): Verdict {
  return { status, reason, subject: { ...subject }, message: pingSentence(reason, subject), ...rest };
}

export function evaluatePing(summary: PingFigures, target: string, params: PingParams, evidence: Evidence[]): Verdict {
  const measurements = pingMeasurements(summary);
  const subject: PingSubject = {
    target,
    sent: summary.transmitted,
    received: summary.received,
    lossPercent: summary.lossPercent,
    ...(summary.rtt ? { rttAvgMs: summary.rtt.avgMs } : {}),
    maxLossPercent: params.maxLossPercent,
    count: params.count,
    deadlineSeconds: pingDeadline(params),
  };
  const actual = `${summary.received}/${summary.transmitted} replies, ${summary.lossPercent}% loss${summary.rtt ? `, rtt avg ${summary.rtt.avgMs} ms` : ''}`;
  const expected = `replies from ${target} with at most ${params.maxLossPercent}% loss`;
  const rest = { expected, actual, evidence, measurements };
  if (summary.received === 0) return pingVerdict('fail', 'no-reply', subject, rest);
  if (summary.lossPercent > params.maxLossPercent) return pingVerdict('fail', 'loss-above', subject, rest);
  return pingVerdict('pass', 'replied', subject, rest);
}

// The summary a stored result's measurements came from (pingMeasurements read backwards).
function summaryOf(m: Measurements): PingFigures | undefined {
  if (m.transmitted === undefined || m.received === undefined || m.lossPercent === undefined) return undefined;
  const rtt = m.rttMinMs !== undefined && m.rttAvgMs !== undefined && m.rttMaxMs !== undefined ? { minMs: m.rttMinMs, avgMs: m.rttAvgMs, maxMs: m.rttMaxMs } : undefined;
  return { transmitted: m.transmitted, received: m.received, lossPercent: m.lossPercent, ...(rtt ? { rtt } : {}), ttls: m.replyTtl === undefined ? [] : [m.replyTtl] };
}

// A stored ping result under another loss threshold: the same replies, the same witnesses.
export function rejudgePing(stored: CheckResult, params: PingParams): Verdict | NeedsLiveRun | undefined {
  const summary = summaryOf(stored.measurements);
  if (stored.status === 'error' || !summary) return undefined;
  const target = stored.subject?.target;
  if (typeof target !== 'string') return { needsLiveRun: WRITTEN_BEFORE_SUBJECTS };
  // The count it was graded with (ping sends more than that while nothing answers, up to its deadline).
  const asked = typeof stored.params?.count === 'number' ? stored.params.count : summary.transmitted;
  if (asked !== params.count) return { needsLiveRun: `it asked for ${asked} echo replies, the check file now asks for ${params.count}` };
  return rehearWitnesses(evaluatePing(summary, target, params, stored.evidence), stored);
}

// Replies from a Linux (64), Windows (128) or network (255) stack that crossed exactly one router.
export function ttlWitness(ttls: number[]): Witness {
  const name = 'the reply TTL';
  if (ttls.length === 0) return { name, detail: 'no reply carried one' };
  const ttl = Math.min(...ttls);
  const hops = [64, 128, 255].map((initial) => initial - ttl).filter((h) => h >= 0);
  const crossed = Math.min(...hops);
  if (crossed === 1) return { name, agrees: true, detail: `ttl=${ttl}: the replies crossed one router` };
  return { name, agrees: false, detail: `ttl=${ttl}: the replies crossed ${crossed === 0 ? 'no router' : `${crossed} routers`}` };
}

// The check file's ping parameters, typed.
export function pingParams(raw: RawParams): PingParams {
  return { to: optionalRoleParam(raw, 'to', ROLES), count: numberParam(raw, 'count'), intervalSeconds: numberParam(raw, 'intervalSeconds'), maxLossPercent: numberParam(raw, 'maxLossPercent') };
}

// How long ping may take: its count at its interval, and a little (ping -w).
const pingDeadline = (params: Pick<PingParams, 'count' | 'intervalSeconds'>) => Math.ceil(params.count * params.intervalSeconds) + 3;

/** The command the check runs on the VM (the simulated lab answers it by this builder too). */
export function pingCommand(count: number, intervalSeconds: number, deadlineSeconds: number, target: string): string {
  return sh`ping -c ${count} -i ${intervalSeconds} -w ${deadlineSeconds} ${target}`;
}

export const ping = defineKind<PingParams>({
  kind: 'ping',
  summary: "The VM reaches the other VM's internal address with ping, within a loss threshold.",
  scope: 'host',
  allowedHosts: ['vm1', 'vm3'],
  defaultHosts: ['vm1'],
  phase: 'traffic',
  params: pingParams,
  needs: () => ROLES,
  rescoring: { thresholds: ['maxLossPercent'], reEvaluate: rejudgePing },
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      to: peerParam('whose internal address is pinged'),
      count: { type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'Echo requests to send' },
      intervalSeconds: { type: 'number', minimum: 0.2, maximum: 5, default: 0.2, description: 'Seconds between requests (0.2 is the unprivileged minimum)' },
      maxLossPercent: { type: 'number', minimum: 0, maximum: 100, default: 0, description: 'Highest packet loss that still passes' },
    },
  },
  async run(context) {
    const { lab, params } = context;
    const { host, targetRole, target } = trafficEnds(context);
    const deadline = pingDeadline(params);
    const traffic = await observeTraffic(lab, host, target, () => lab.remote(host).run(pingCommand(params.count, params.intervalSeconds, deadline, target), { timeoutMs: (deadline + 5) * 1000 }), targetRole);
    const result = traffic.value;
    requireCompleted(host, result);
    const evidence = [evidenceOf(host, result)];
    if (isMissingTool(result, 'ping')) return missingTool(host, 'ping', 'iputils-ping', evidence);
    const reason = /packets transmitted/.test(result.stdout) ? undefined : networkRefusal(result.stdout, result.stderr);
    if (reason !== undefined) {
      const subject: PingSubject = { target, sent: 0, received: 0, lossPercent: 100, maxLossPercent: params.maxLossPercent, refusal: reason };
      return pingVerdict('fail', 'network-refused', subject, { expected: `replies from ${target}`, actual: reason, evidence });
    }
    const summary = parseOutput(host, result, parsePing);
    // Every reply is a request that went through and came back: as many each way as ping counted,
    // no more than it sent.
    return traffic.heard(evaluatePing(summary, target, params, evidence), [ttlWitness(summary.ttls)], {
      unit: 'packets',
      toward: { min: summary.received, max: summary.transmitted },
      back: { min: summary.received, max: summary.transmitted },
      forwarded: { min: 2 * summary.received, max: 2 * summary.transmitted },
      target: targetRole === 'vm1' ? 'vm1' : 'vm3',
    });
  },
});
