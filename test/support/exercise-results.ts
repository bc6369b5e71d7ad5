// The exercise's results as checks/exercise.yaml gives them, so that no test restates the list:
// one result per check and host (`subnets` alone, for the lab), named `id host`, in report order.
import { join } from 'node:path';
import { loadCheckFile, type CheckSpec } from '../../grader/config/check-file.ts';
import type { CheckResult } from '../../grader/core/result.ts';
import type { Role } from '../../grader/core/roles.ts';
import { plannedResults } from '../../grader/run/grade-lab.ts';
import { REPO } from './run-cli.ts';

export const EXERCISE_CHECKS_PATH = join(REPO, 'checks', 'exercise.yaml');

/** checks/exercise.yaml as the CLI loads it. */
export const EXERCISE_CHECKS: readonly CheckSpec[] = await loadCheckFile(EXERCISE_CHECKS_PATH);

export function resultKey(result: Pick<CheckResult, 'id' | 'host'>): string {
  return result.host === 'lab' ? result.id : `${result.id} ${result.host}`;
}

/** Every result of checks/exercise.yaml, named `id host`, in check-file order. */
export const RESULT_KEYS: readonly string[] = plannedResults([...EXERCISE_CHECKS]).map(({ spec, host }) => resultKey({ id: spec.id, host }));

/** A result's check as exercise.yaml has it: its kind, points and host. */
export function exerciseResult(key: string): { spec: CheckSpec; host: Role | 'lab' } {
  const found = plannedResults([...EXERCISE_CHECKS]).find(({ spec, host }) => resultKey({ id: spec.id, host }) === key);
  if (!found) throw new Error(`checks/exercise.yaml has no result '${key}'; it has ${RESULT_KEYS.join(', ')}`);
  return found;
}

// checks/exercise.yaml with some parameters changed (a shorter iperf, say), the results the same.
export function exerciseChecksWith(params: Record<string, Record<string, unknown>>): CheckSpec[] {
  return EXERCISE_CHECKS.map((c) => (params[c.kind.kind] ? { ...c, params: { ...c.params, ...params[c.kind.kind] } } : c));
}

// Which VMs a result needs: its check kind says (CheckKind.needs).
export function vmsNeededBy(key: string): readonly Role[] {
  const { spec, host } = exerciseResult(key);
  return spec.kind.needs(host);
}
