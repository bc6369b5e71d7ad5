// The lab's expected failures: the CLI prints the message on one line, without a stack trace.
export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command line or API arguments (exit 2). */
export class LabUsageError extends LabError {}

/** Not root (exit 2). */
export class NeedRootError extends LabError {}

/** `up` of a name that exists. */
export class LabExistsError extends LabError {}

/** `up` stopped by SIGINT/SIGTERM or an aborted signal; what it built was torn down. */
export class LabAbortedError extends LabError {}

// Runs a lab command line: its exit code, or one line on stderr for a failure (2 for usage and
// root, 1 otherwise), never a stack trace.
export function runLabCli(program: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const expected = error instanceof LabError;
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      process.stderr.write(`${program}: ${expected ? '' : 'unexpected error: '}${message}\n`);
      process.exitCode = error instanceof LabUsageError || error instanceof NeedRootError ? 2 : 1;
    },
  );
}

// Runs a lab's `up` with SIGINT and SIGTERM turned into an abort of `signal`: `up` then tears down
// what it built and throws LabAbortedError, and the exit code is the signal's (130, 143) after one
// line naming `what` (`lab 'demo'`).
export async function upUntilSignalled(what: string, up: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!signalled) process.stderr.write(`\n${signal}: stopping and tearing down what was built...\n`);
    signalled ??= signal;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await up(controller.signal);
  } catch (error) {
    if (error instanceof LabAbortedError && signalled) {
      process.stderr.write(`${what}: interrupted by ${signalled}; torn down\n`);
      return signalled === 'SIGINT' ? 130 : 143;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
