import type { CheckResult, Measurements, Verdict } from '../core/result.ts';
import type { NeedsLiveRun } from './check-kind.ts';

// A second machine's view of what a check observed: the router's counters, the iperf3 server's
// own report, the reply TTL. `agrees` is undefined when the witness could not be asked.
export interface Witness {
  name: string;
  agrees?: boolean;
  detail: string;
  /** It should have answered (its machine was reached): its silence leaves a pass unconfirmed. */
  mustAnswer?: boolean;
  /** Figures the witness read (added to the result's measurements). */
  measurements?: Measurements;
}

const MARKS = { agrees: true, disagrees: false, 'not asked': undefined } as const;

function line(w: Witness): string {
  const mark = w.agrees === undefined ? 'not asked' : w.agrees ? 'agrees' : 'disagrees';
  return `${w.name} ${mark}: ${w.detail}`;
}

const LINE = /^(.+?) (agrees|disagrees|not asked): (.*)$/;

// The witnesses a stored result heard, read back from the lines `heardWitnesses` wrote into its
// `actual`, and the rest of `actual` (the check's own account).
export function witnessesHeard(actual: string | undefined): { own: string | undefined; witnesses: Witness[] } {
  const own: string[] = [];
  const witnesses: Witness[] = [];
  for (const text of (actual ?? '').split('\n')) {
    const m = LINE.exec(text);
    if (m) witnesses.push({ name: m[1]!, agrees: MARKS[m[2] as keyof typeof MARKS], detail: m[3]! });
    else if (text !== '') own.push(text);
  }
  return { own: own.length > 0 ? own.join('\n') : undefined, witnesses };
}

// A verdict judged again from stored measurements, heard by the witnesses the stored result heard.
// A witness that was not asked may have been one that should have answered: a result that now
// passes where it did not cannot be confirmed without the lab.
export function rehearWitnesses(verdict: Verdict, stored: CheckResult): Verdict | NeedsLiveRun {
  const { witnesses } = witnessesHeard(stored.actual);
  const unasked = witnesses.filter((w) => w.agrees === undefined);
  if (verdict.status === 'pass' && stored.status !== 'pass' && unasked.length > 0) {
    return { needsLiveRun: `it would pass now, but ${unasked.map((w) => w.name).join(' and ')} could not be asked when it was graded` };
  }
  return heardWitnesses(verdict, witnesses);
}

// A pass stands only if no witness disagrees (then it fails, naming the disagreement) and every
// witness that should have answered did (else it could not be graded). Witnesses are listed in
// `actual` either way, so an instructor sees what each machine said.
export function heardWitnesses(verdict: Verdict, witnesses: Witness[]): Verdict {
  if (witnesses.length === 0) return verdict;
  const actual = [verdict.actual, ...witnesses.map(line)].filter(Boolean).join('\n');
  const figures = Object.assign({}, ...witnesses.map((w) => w.measurements ?? {})) as Measurements;
  if (Object.keys(figures).length > 0) verdict = { ...verdict, measurements: { ...figures, ...verdict.measurements } };
  const against = witnesses.filter((w) => w.agrees === false);
  const silent = witnesses.filter((w) => w.agrees === undefined && w.mustAnswer);
  if (verdict.status !== 'pass') return { ...verdict, actual };
  if (against.length === 0 && silent.length > 0) {
    return { ...verdict, status: 'error', message: `could not confirm: ${verdict.message}, but ${silent.map((w) => `${w.name}: ${w.detail}`).join('; ')}`, actual };
  }
  if (against.length === 0) return { ...verdict, actual };
  return {
    ...verdict,
    status: 'fail',
    message: `witnesses disagree: ${verdict.message}, but ${against.map((w) => `${w.name}: ${w.detail}`).join('; ')}`,
    actual,
  };
}
