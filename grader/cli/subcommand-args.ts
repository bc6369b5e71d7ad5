// What the subcommands share on their command line: strict parsing whose mistakes are one
// configuration error naming the subcommand (option-table.ts), --help, and --junit-flavor.
import type { ParseArgsConfig } from 'node:util';
import { output } from './output.ts';
import { parseOptions } from './option-table.ts';

export { junitFlavorOf } from './option-table.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The subcommand's options and positionals; an unknown or malformed option is a ConfigError. */
export function parseSubcommandArgs<T extends Options>(command: string, argv: string[], options: T) {
  return parseOptions(command, argv, options, true);
}

/** Prints `usage` when --help or -h is among the arguments; true when it did. */
export function printedHelp(argv: readonly string[], usage: string): boolean {
  if (!argv.includes('--help') && !argv.includes('-h')) return false;
  output.stdout.text(`${usage}\n`);
  return true;
}
