import type { CheckResult } from '../core/result.ts';
import { lateByMs, studentDeadline } from '../class-report/deadlines.ts';
import type { Attempt, StoredRoster } from './course-store.ts';
import { rosterFromLines } from '../class-report/roster.ts';

export interface Flip {
  /** `id host` of the result. */
  result: string;
  from?: CheckResult['status'];
  to?: CheckResult['status'];
}

export interface HistoryLine {
  id: number;
  lab: string;
  startedAt: string;
  score: number;
  maxScore: number;
  status: Attempt['status'];
  lateByMs: number;
  command: Attempt['command'];
  checksDigest?: string;
  only?: string[];
  machine: string;
  /** The results whose status changed since the lab's previous attempt (every result for the first). */
  flipped: Flip[];
}

const key = (r: CheckResult) => [r.id, r.host].filter((p) => p && p !== 'lab').join(' ');

// What changed between two attempts of a lab: results that appeared, vanished or changed status.
export function flips(before: readonly CheckResult[] | undefined, after: readonly CheckResult[]): Flip[] {
  const old = new Map((before ?? []).map((r) => [key(r), r.status]));
  const now = new Map(after.map((r) => [key(r), r.status]));
  const changed: Flip[] = [];
  for (const [result, to] of now) if (old.get(result) !== to) changed.push({ result, ...(old.has(result) ? { from: old.get(result)! } : {}), to });
  for (const [result, from] of old) if (!now.has(result)) changed.push({ result, from });
  return changed;
}

// Every attempt of each lab in time order, with whether it was late and what flipped. Pure.
export function attemptHistory(attempts: readonly Attempt[], context: { rosters: readonly StoredRoster[]; extensions: ReadonlyMap<string, string>; deadline?: string }): HistoryLine[] {
  const students = new Map<string, { id: string; extension?: string }>();
  for (const roster of context.rosters) for (const [lab, s] of rosterFromLines(roster.entries)) students.set(lab, s);
  const previous = new Map<string, readonly CheckResult[]>();
  const sorted = [...attempts].sort((a, b) => a.lab.localeCompare(b.lab) || a.startedAt.localeCompare(b.startedAt) || a.id - b.id);
  return sorted.map((a) => {
    const student = students.get(a.lab);
    const deadline = studentDeadline(context.deadline, (student && context.extensions.get(student.id)) ?? student?.extension);
    const results = a.report?.results ?? [];
    const line: HistoryLine = {
      id: a.id,
      lab: a.lab,
      startedAt: a.startedAt,
      score: a.score,
      maxScore: a.maxScore,
      status: a.status,
      lateByMs: lateByMs(a.startedAt, deadline),
      command: a.command,
      ...(a.checksDigest ? { checksDigest: a.checksDigest } : {}),
      ...(a.only ? { only: a.only } : {}),
      machine: a.machine,
      flipped: flips(previous.get(a.lab), results),
    };
    previous.set(a.lab, results);
    return line;
  });
}
