// The course deadline, students' extensions and the late policy: parsing and deciding, no I/O.

/** How late work counts. `on-time`: the last attempt made before the student's deadline counts,
 * later ones do not (a lab with only late attempts gets no credit); `penalty`: the chosen attempt
 * counts, less `percentPerDay` of its score per started day late; `no-credit`: a late chosen
 * attempt scores 0. */
export type LatePolicy = { kind: 'on-time' } | { kind: 'penalty'; percentPerDay: number } | { kind: 'no-credit' };

export const LATE_POLICY_HELP = 'on-time | penalty:PERCENT (per started day late) | no-credit';

const ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

// An instant given on the command line or in a roster: ISO 8601 with its time zone (`Z` or
// `+01:00`), so that nobody's deadline depends on the grading machine's zone. UTC ISO, or a
// one-line reason.
export function parseInstant(text: string): { ok: true; iso: string } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (!ZONED.test(trimmed)) return { ok: false, reason: `'${text}' is not a time with its zone (e.g. 2026-03-10T23:59+01:00 or 2026-03-10T22:59Z)` };
  const ms = Date.parse(trimmed.replace(' ', 'T'));
  if (!Number.isFinite(ms)) return { ok: false, reason: `'${text}' is not a valid time` };
  return { ok: true, iso: new Date(ms).toISOString() };
}

const DURATION = /^\+?(\d+(?:\.\d+)?)\s*(d|h|m)$/i;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/** Whether an extension is valid: the student's own deadline (a zoned time) or extra time (`2d`, `36h`, `90m`). */
export function extensionProblem(extension: string): string | undefined {
  if (DURATION.test(extension.trim())) return undefined;
  const instant = parseInstant(extension);
  return instant.ok ? undefined : `extension ${instant.reason.replace(/^'[^']*' is/, `'${extension}' is`)}, nor extra time such as 2d or 36h`;
}

// A student's deadline: their extension's time, or the course deadline plus their extra time.
export function studentDeadline(courseDeadline: string | undefined, extension: string | undefined): string | undefined {
  if (extension) {
    const extra = DURATION.exec(extension.trim());
    if (extra) return courseDeadline === undefined ? undefined : new Date(Date.parse(courseDeadline) + Number(extra[1]) * UNIT_MS[extra[2]!.toLowerCase()]!).toISOString();
    const instant = parseInstant(extension);
    if (instant.ok) return instant.iso;
  }
  return courseDeadline;
}

// How late an attempt that started at `startedAt` is (0 when on time or without deadline).
export function lateByMs(startedAt: string, deadline: string | undefined): number {
  if (deadline === undefined) return 0;
  return Math.max(0, Date.parse(startedAt) - Date.parse(deadline));
}

export function parseLatePolicy(text: string): LatePolicy | undefined {
  if (text === 'on-time' || text === 'no-credit') return { kind: text };
  const penalty = /^penalty:(\d+(?:\.\d+)?)%?$/.exec(text);
  if (penalty && Number(penalty[1]) <= 100) return { kind: 'penalty', percentPerDay: Number(penalty[1]) };
  return undefined;
}

export function formatLatePolicy(policy: LatePolicy): string {
  return policy.kind === 'penalty' ? `penalty:${policy.percentPerDay}` : policy.kind;
}

// The score a late attempt is credited with under the policy (on time: its score).
export function creditedScore(score: number, lateMs: number, policy: LatePolicy): number {
  if (lateMs <= 0) return score;
  if (policy.kind === 'penalty') {
    const days = Math.ceil(lateMs / 86_400_000);
    return Math.max(0, Math.round(score * (1 - (policy.percentPerDay * days) / 100) * 1000) / 1000);
  }
  return 0;
}

// "2 d 3 h", "45 min": how late, for people.
export function formatLateness(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d${hours > 0 ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${rest > 0 ? ` ${rest} min` : ''}`;
  return `${rest} min`;
}
