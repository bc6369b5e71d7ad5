import type { CheckResult, Measurements } from '../checks/result.ts';
import { sanitizeLine } from './sanitize.ts';

// `virtio vm1`, or just `subnets` for a check about the lab as a whole.
export function resultLabel(result: Pick<CheckResult, 'id' | 'host'>): string {
  const id = sanitizeLine(result.id);
  const host = sanitizeLine(result.host);
  return host === '' || host === 'lab' ? id : `${id} ${host}`;
}

// Points as people write them: 1, 0.5, 2.33.
export function formatPoints(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

// The measured figures a student cares about, in their units: "941.2 Mbit/s", "0% loss".
export function describeMeasurements(measurements: Measurements): string[] {
  const parts: string[] = [];
  const { throughputMbps, rttAvgMs, lossPercent } = measurements;
  if (throughputMbps !== undefined) parts.push(`${round(throughputMbps, 1)} Mbit/s`);
  if (rttAvgMs !== undefined) parts.push(`rtt ${round(rttAvgMs, 3)} ms`);
  if (lossPercent !== undefined) parts.push(`${round(lossPercent, 1)}% loss`);
  return parts;
}

function round(n: number, digits: number): string {
  if (!Number.isFinite(n)) return String(n);
  const factor = 10 ** digits;
  return String(Math.round(n * factor) / factor);
}
