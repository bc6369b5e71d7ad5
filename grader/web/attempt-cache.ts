import type { Attempt, CourseStore } from '../store/course-store.ts';

// Every attempt of the course record, with its report, kept in the server's memory: attempts are
// append-only and their ids grow, so each read asks the store only for those after the last id
// seen. A board of 300 labs then costs one small query per request, not 300 reports parsed again.
export class AttemptCache {
  private readonly attempts: Attempt[] = [];
  private lastId = 0;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: CourseStore) {}

  /** Every attempt recorded before the call, in id order (refreshes run one after the other). */
  all(): Promise<readonly Attempt[]> {
    const next = this.chain.then(() => this.refresh());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async refresh(): Promise<readonly Attempt[]> {
    const fresh = await this.store.attempts({ afterId: this.lastId });
    for (const attempt of fresh) {
      if (attempt.id <= this.lastId) continue;
      this.attempts.push(attempt);
      this.lastId = attempt.id;
    }
    return this.attempts;
  }
}
