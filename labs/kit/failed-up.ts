// What both labs do when `up` fails or is interrupted half-way: say so, undo what was built (each
// lab knows its own parts), free the slot and the state directory, and throw again; an
// interruption is thrown as LabAbortedError, whatever error the interrupted step raised.
import { rm } from 'node:fs/promises';
import { LabAbortedError } from './errors.ts';

export interface FailedUp {
  /** `lab 'demo'`, `VM lab 'vmdemo'`: how the interruption error names the lab. */
  what: string;
  error: unknown;
  signal: AbortSignal | undefined;
  log: (line: string) => void;
  stateDir: string;
  /** Removes what was built; returns the problems it met (logged, never hiding `error`). */
  undo: () => Promise<string[]>;
  /** Releases the lab's slot claim, if it got one. */
  releaseSlot: () => Promise<void>;
}

export async function undoFailedUp(failed: FailedUp): Promise<never> {
  const { error, signal, log } = failed;
  log(signal?.aborted ? 'interrupted: tearing down what was built' : `up failed, tearing down what was built: ${error instanceof Error ? error.message : String(error)}`);
  for (const problem of await failed.undo()) log(`teardown: ${problem}`);
  await failed.releaseSlot();
  await rm(failed.stateDir, { recursive: true, force: true });
  if (error instanceof LabAbortedError || !signal?.aborted) throw error;
  throw new LabAbortedError(`${failed.what}: interrupted`);
}
