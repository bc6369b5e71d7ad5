import { EventEmitter } from 'node:events';

/** What the course server tells its listeners (the board) about an attempt. */
export interface AttemptEvent {
  /** The stored attempt's id once recorded; before that, the grading's own id. */
  id: string | number;
  lab: string;
  /** `queued` and `started` before the attempt exists; `recorded` once it is in the store. */
  state?: 'queued' | 'started' | 'recorded';
}

// The seam between the course server and its web pages (grader/web/): the server emits, the pages
// listen. An attempt is emitted with state `recorded` after the store has it, never before.
export class CourseEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // A board per open browser tab: many listeners are normal here.
    this.emitter.setMaxListeners(0);
  }

  /** Calls `listener` for every attempt event; returns the function that stops it. */
  onAttempt(listener: (attempt: AttemptEvent) => void): () => void {
    this.emitter.on('attempt', listener);
    return () => this.emitter.off('attempt', listener);
  }

  emitAttempt(attempt: AttemptEvent): void {
    // A listener that throws must not break a grading.
    for (const listener of this.emitter.listeners('attempt') as Array<(a: AttemptEvent) => void>) {
      try {
        listener(attempt);
      } catch {
        // the board's problem, not the submission's
      }
    }
  }
}
