// A sliding-window limit per key (a token, a source address): at most `limit` events within
// `windowMs`. Pure apart from the clock it is given; forgets keys whose window has passed.
export class RateLimit {
  private readonly events = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts an event for `key` unless over the limit; returns the ms to wait when it is (0: allowed). */
  take(key: string, nowMs: number): number {
    const recent = (this.events.get(key) ?? []).filter((t) => nowMs - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.events.set(key, recent);
      return this.windowMs - (nowMs - recent[0]!);
    }
    recent.push(nowMs);
    this.events.set(key, recent);
    if (this.events.size > 10_000) this.forget(nowMs);
    return 0;
  }

  /** The ms to wait before `key` may have another event, without counting one. */
  waitFor(key: string, nowMs: number): number {
    const recent = (this.events.get(key) ?? []).filter((t) => nowMs - t < this.windowMs);
    return recent.length >= this.limit ? this.windowMs - (nowMs - recent[0]!) : 0;
  }

  private forget(nowMs: number): void {
    for (const [key, times] of this.events) if (times.every((t) => nowMs - t >= this.windowMs)) this.events.delete(key);
  }
}
