import type { Attempt, CourseStore } from '../store/course-store.ts';

/**
 * How long an id below the highest one seen may stay missing before the cache stops asking for it.
 * On PostgreSQL ids come from a sequence: a grading that took id 7 may commit after another took
 * id 8 (each attempt is one short transaction), and a rolled-back insert leaves 7 unused for good.
 */
export const GAP_PATIENCE_MS = 60_000;

// Every attempt of the course record, with its report, kept in the server's memory: attempts are
// append-only, so each read asks the store only for those above the highest id below which none is
// still missing. A board of 300 labs then costs one small query per request, not 300 reports parsed
// again, and an attempt that commits after one with a higher id is still picked up.
export class AttemptCache {
  private readonly attempts: Attempt[] = [];
  /** Every id at or below it is either cached or was given up as never coming. */
  private settled = 0;
  /** Ids above `settled` that are cached. */
  private readonly above = new Set<number>();
  /** When each missing id below the highest cached one was first noticed missing. */
  private readonly missingSince = new Map<number, number>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: CourseStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every attempt recorded before the call, in id order (refreshes run one after the other). */
  all(): Promise<readonly Attempt[]> {
    const next = this.chain.then(() => this.refresh());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async refresh(): Promise<readonly Attempt[]> {
    const fresh = await this.store.attempts({ afterId: this.settled });
    for (const attempt of fresh) {
      if (attempt.id <= this.settled || this.above.has(attempt.id)) continue;
      this.insertInOrder(attempt);
      this.above.add(attempt.id);
      this.missingSince.delete(attempt.id);
    }
    this.advance();
    return this.attempts;
  }

  private insertInOrder(attempt: Attempt): void {
    let at = this.attempts.length;
    while (at > 0 && this.attempts[at - 1]!.id > attempt.id) at--;
    this.attempts.splice(at, 0, attempt);
  }

  /** Moves `settled` over the ids now cached, and over missing ones waited for long enough. */
  private advance(): void {
    let highest = this.settled;
    for (const id of this.above) highest = Math.max(highest, id);
    const now = this.now();
    for (let id = this.settled + 1; id < highest; id++) if (!this.above.has(id) && !this.missingSince.has(id)) this.missingSince.set(id, now);
    while (this.settled < highest) {
      const next = this.settled + 1;
      if (this.above.delete(next)) {
        this.settled = next;
        continue;
      }
      const since = this.missingSince.get(next);
      if (since === undefined || now - since < GAP_PATIENCE_MS) break;
      this.missingSince.delete(next);
      this.settled = next;
    }
  }
}
