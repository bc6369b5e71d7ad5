import type { Measurements, Verdict } from '../core/result.ts';

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

function line(w: Witness): string {
  const mark = w.agrees === undefined ? 'not asked' : w.agrees ? 'agrees' : 'disagrees';
  return `${w.name} ${mark}: ${w.detail}`;
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
