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

export function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new NeedRootError(
      'reference-lab needs root: it creates network namespaces, veths and bridges (try: sudo npm run lab -- ...)',
    );
  }
}

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
