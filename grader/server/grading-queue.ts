// Gradings of different students at once up to a bound, the rest waiting in arrival order; one
// grading (running or waiting) per key (a student's token). Each waiting grading is told its
// place whenever it changes.

export interface QueuedGrading<T> {
  /** The place in the queue (1: next), called on entry and whenever it changes. */
  onPlace(place: number): void;
  run(): Promise<T>;
}

export class BusyError extends Error {}

export class GradingQueue {
  private running = 0;
  private readonly waiting: Array<{ key: string; start: () => void; onPlace: (place: number) => void; cancelled: boolean }> = [];
  private readonly keys = new Set<string>();

  constructor(readonly concurrency: number) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs the grading when a place is free. Rejects with BusyError when `key` already has one. `cancel` drops it while it waits. */
  enqueue<T>(key: string, grading: QueuedGrading<T>, cancel?: AbortSignal): Promise<T> {
    if (this.keys.has(key)) return Promise.reject(new BusyError(key));
    this.keys.add(key);
    return new Promise<T>((resolve, reject) => {
      const entry = {
        key,
        cancelled: false,
        onPlace: grading.onPlace,
        start: () => {
          this.running++;
          grading
            .run()
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              this.keys.delete(key);
              this.next();
            });
        },
      };
      cancel?.addEventListener('abort', () => {
        const at = this.waiting.indexOf(entry);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        this.keys.delete(key);
        reject(cancel.reason instanceof Error ? cancel.reason : new Error('cancelled'));
        this.tellPlaces(at);
      });
      if (this.running < this.concurrency) entry.start();
      else {
        this.waiting.push(entry);
        entry.onPlace(this.waiting.length);
      }
    });
  }

  private next(): void {
    const entry = this.waiting.shift();
    if (!entry) return;
    entry.start();
    this.tellPlaces(0);
  }

  private tellPlaces(from: number): void {
    this.waiting.forEach((w, i) => {
      if (i >= from) w.onPlace(i + 1);
    });
  }
}
