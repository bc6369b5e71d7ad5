// A store that cannot be opened, read or written: one line saying what and what to do. The CLI
// reports it as a configuration error (exit 2) when it happens before grading.
export class StoreError extends Error {
  constructor(readonly location: string, message: string) {
    super(`course record ${location}: ${message}`);
    this.name = 'StoreError';
  }
}
