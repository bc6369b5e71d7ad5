// One lab graded by each contender: the check file they share, one measured run, the verdicts most runs gave.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadCheckFile, type CheckSpec } from '../grader/config/check-file.ts';
import { REPO, type ContenderId, type ContenderRun } from './contenders.ts';
import type { LabSide } from './lab-side.ts';
import { phaseBreakdown } from './profile.ts';
import type { RunRecord } from './results.ts';

// checks/exercise.yaml with iperf measuring for `seconds`; the unavoidable time it implies.
export async function writeCheckFile(path: string, seconds: number): Promise<{ checks: CheckSpec[]; pingCount: number; pingInterval: number }> {
  const doc = parseDocument(await readFile(join(REPO, 'checks', 'exercise.yaml'), 'utf8'));
  const list = doc.toJS().checks as Array<{ kind: string }>;
  const iperf = list.findIndex((c) => c.kind === 'iperf');
  if (iperf < 0) throw new Error('checks/exercise.yaml has no iperf check');
  doc.setIn(['checks', iperf, 'params', 'durationSeconds'], seconds);
  await writeFile(path, doc.toString().replace(/^# yaml-language-server:.*\n/, ''));
  const checks = await loadCheckFile(path);
  const ping = checks.find((c) => c.kind.kind === 'ping');
  const params = (ping?.params ?? {}) as { count?: number; intervalSeconds?: number };
  return { checks, pingCount: ping ? (params.count ?? 5) : 0, pingInterval: ping ? (params.intervalSeconds ?? 0.2) : 0 };
}

export async function record(run: () => Promise<ContenderRun>, side: LabSide, unavoidableMs: number): Promise<RunRecord> {
  await side.settle();
  const mark = side.mark();
  const result = await run();
  await side.settle();
  const lab = side.since(mark);
  const m = result.measurement;
  const ownMs = m.userMs + m.sysMs + result.detachedCpuMs + lab.cpuMs;
  return {
    contender: result.contender,
    wallMs: m.wallMs,
    userMs: m.userMs,
    sysMs: m.sysMs,
    detachedCpuMs: result.detachedCpuMs,
    maxRssKb: m.maxRssKb,
    overheadMs: m.wallMs - unavoidableMs,
    lab,
    othersBusyMs: Math.max(0, m.machineBusyMs - ownMs),
    verdicts: result.verdicts,
    details: result.details,
    ...(result.report ? { phases: phaseBreakdown(result.report, m.wallMs) } : {}),
  };
}

export function sameVerdicts(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

// Per result, the verdict most runs gave; and every run's departure from it.
export function consensus(single: Record<ContenderId, RunRecord[]>): { expected: Record<string, string>; deviations: string[] } {
  const votes = new Map<string, Map<string, number>>();
  for (const runs of Object.values(single)) {
    for (const run of runs) {
      for (const [key, status] of Object.entries(run.verdicts)) {
        const v = votes.get(key) ?? new Map<string, number>();
        v.set(status, (v.get(status) ?? 0) + 1);
        votes.set(key, v);
      }
    }
  }
  const expected = Object.fromEntries([...votes].map(([key, v]) => [key, [...v].sort((a, b) => b[1] - a[1])[0]![0]]));
  const deviations: string[] = [];
  for (const [contender, runs] of Object.entries(single)) {
    runs.forEach((run, i) => {
      for (const key of Object.keys(expected)) {
        if (run.verdicts[key] !== expected[key]) {
          deviations.push(`${contender} run ${i + 1}: ${key} ${run.verdicts[key] ?? 'missing'}${run.details[key] ? ` (${run.details[key]})` : ''}`);
        }
      }
    });
  }
  return { expected, deviations };
}
