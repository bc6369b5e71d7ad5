// Bad input from the user (a flag, the inventory, the check file, the environment): exit 2 with
// every problem listed, never a stack trace.
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}
