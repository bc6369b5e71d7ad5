import type { CheckResult } from '../core/result.ts';
import { resultName } from '../core/diagnosis.ts';
import { sanitizeLine } from './sanitize.ts';

// `virtio vm1`, or just `subnets` for a check about the lab as a whole.
export function resultLabel(result: Pick<CheckResult, 'id' | 'host'>): string {
  return resultName({ id: sanitizeLine(result.id), host: sanitizeLine(result.host) });
}

// Points as people write them: 1, 0.5, 2.33.
export function formatPoints(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}
