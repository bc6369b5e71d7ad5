import { ROLE_LABELS, type Role } from '../core/roles.ts';
import type { CheckResult, Measurements, Subject, Verdict, WitnessRecord } from '../core/result.ts';
import type { NeedsLiveRun } from './check-kind.ts';

// A second machine's view of what a check observed: the router's counters, the iperf3 server's
// own report, the reply TTL. `agrees` is undefined when the witness could not be asked.
export interface Witness extends WitnessRecord {
  /** Figures the witness read (added to the result's measurements). */
  measurements?: Measurements;
}

/**
 * The route the VM's kernel takes to the target (`ip route get`), beside the router's address on
 * the VM's own network: the student's own account of the path, which tells an honest routing
 * mistake (the traffic went elsewhere, as the VM was told to send it) from a contradiction.
 */
export interface RouteSeen {
  host: Role;
  target: string;
  gateway?: string;
  device?: string;
  /** The router's address on the VM's internal network. */
  router: string;
}

/** The VM sends to the target another way than via the router: every witness would agree it did not cross it. */
export function bypassesRouter(route: RouteSeen | undefined): boolean {
  return route !== undefined && route.gateway !== route.router;
}

/** The witness of the source address the target saw (translation.ts): alone against a pass, the traffic was translated (NAT). */
export const SOURCE_SEEN = 'the source address the target saw';

/** Reasons a traffic check's own judgement is overruled with, whatever the kind. */
export type WitnessedReason = 'unconfirmed' | 'witness-contradicts' | 'bypassed-router' | 'translated';

function line(w: WitnessRecord): string {
  const mark = w.agrees === undefined ? 'not asked' : w.agrees ? 'agrees' : 'disagrees';
  return `${w.name} ${mark}: ${w.detail}`;
}

const said = (w: WitnessRecord) => `${w.name}: ${w.problem ?? w.detail}`;

function routeText(route: RouteSeen): string {
  const how = route.gateway ? `goes via ${route.gateway}` : `goes directly out of ${route.device ?? 'a NIC'}`;
  return `${ROLE_LABELS[route.host]}'s route to ${route.target} ${how}`;
}

// The one sentence of a traffic check whose own judgement (`own`) the witnesses overruled.
export function witnessedSentence(reason: WitnessedReason, own: string, witnesses: readonly WitnessRecord[], route: RouteSeen | undefined): string {
  if (reason === 'bypassed-router') return `${own}, but the traffic did not go through the router (${route ? routeText(route) : 'the witnesses saw none of it there'})`;
  if (reason === 'translated') return `${own}, but the traffic was translated, not routed (${witnesses.filter((w) => w.agrees === false).map((w) => w.detail).join('; ')})`;
  if (reason === 'unconfirmed') return `could not confirm: ${own}, but ${witnesses.filter((w) => w.agrees === undefined && w.mustAnswer).map(said).join('; ')}`;
  return `witnesses disagree: ${own}, but ${witnesses.filter((w) => w.agrees === false).map(said).join('; ')}`;
}

function routeOf(subject: Subject | undefined): RouteSeen | undefined {
  const route = subject?.route;
  if (!route || typeof route !== 'object' || Array.isArray(route)) return undefined;
  const { host, target, gateway, device, router } = route;
  if (typeof host !== 'string' || typeof target !== 'string' || typeof router !== 'string') return undefined;
  return { host: host as Role, target, router, ...(typeof gateway === 'string' ? { gateway } : {}), ...(typeof device === 'string' ? { device } : {}) };
}

// A verdict judged again from stored measurements, heard by the witnesses the stored result heard.
// A witness that was not asked may have been one that should have answered: a result that now
// passes where it did not cannot be confirmed without the lab.
export function rehearWitnesses(verdict: Verdict, stored: CheckResult): Verdict | NeedsLiveRun {
  const witnesses = stored.witnesses ?? [];
  const unasked = witnesses.filter((w) => w.agrees === undefined);
  if (verdict.status === 'pass' && stored.status !== 'pass' && unasked.length > 0) {
    return { needsLiveRun: `it would pass now, but ${unasked.map((w) => w.name).join(' and ')} could not be asked when it was graded` };
  }
  return heardWitnesses(verdict, witnesses, routeOf(stored.subject));
}

// A pass stands only if no witness disagrees (then it fails, naming the disagreement, or the route
// the VM took when it did not go via the router) and every witness that should have answered did
// (else it could not be graded). Witnesses are listed in `actual` either way, so that an
// instructor sees what each machine said, and kept as data in `witnesses`.
export function heardWitnesses(verdict: Verdict, witnesses: Witness[] | WitnessRecord[], route?: RouteSeen): Verdict {
  const subject = route ? { ...verdict.subject, route: { ...route } } : verdict.subject;
  if (witnesses.length === 0) return { ...verdict, subject };
  const records: WitnessRecord[] = witnesses.map(({ measurements: _m, ...w }: Witness) => w);
  const actual = [verdict.actual, ...records.map(line)].filter(Boolean).join('\n');
  const figures = Object.assign({}, ...witnesses.map((w: Witness) => w.measurements ?? {})) as Measurements;
  const heard: Verdict = { ...verdict, subject, actual, witnesses: records };
  if (Object.keys(figures).length > 0) heard.measurements = { ...figures, ...verdict.measurements };
  const against = records.filter((w) => w.agrees === false);
  const silent = records.filter((w) => w.agrees === undefined && w.mustAnswer);
  if (verdict.status !== 'pass') return heard;
  let reason: WitnessedReason;
  if (against.length === 0 && silent.length > 0) reason = 'unconfirmed';
  else if (against.length === 0) return heard;
  else if (bypassesRouter(route)) reason = 'bypassed-router';
  // Only the target's view of the source disagrees: the router translated the addresses (translation.ts).
  else reason = against.every((w) => w.name === SOURCE_SEEN) ? 'translated' : 'witness-contradicts';
  return {
    ...heard,
    status: reason === 'unconfirmed' ? 'error' : 'fail',
    reason,
    subject: { ...subject, judged: verdict.reason },
    message: witnessedSentence(reason, verdict.message, records, route),
  };
}
