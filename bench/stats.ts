// Median, min and max of a series, and the formatting the report uses.
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: number[]): Summary {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

/** Seconds with `digits` decimals, from milliseconds. */
export function sec(ms: number, digits = 2): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(digits) : 'n/a';
}

/** `median (min–max)` in seconds. */
export function secRange(s: Summary, digits = 2): string {
  if (s.n === 0) return 'n/a';
  if (s.n === 1) return sec(s.median, digits);
  return `${sec(s.median, digits)} (${sec(s.min, digits)}–${sec(s.max, digits)})`;
}

export function ratio(a: number, b: number, digits = 1): string {
  return Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(digits)}×` : 'n/a';
}
