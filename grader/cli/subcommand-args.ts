// What the class-file subcommands (`merge`, `rescore`) share on their command line: strict parsing
// whose mistakes are one configuration error naming the subcommand, --help, and --junit-flavor.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/config-error.ts';
import { JUNIT_FLAVORS, type JunitFlavor } from '../report/junit.ts';
import { output } from './output.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The subcommand's options and positionals; an unknown or malformed option is a ConfigError. */
export function parseSubcommandArgs<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: true, options });
  } catch (error) {
    throw new ConfigError([`${command}: ${(error as Error).message.split('\n')[0]} (see ${command} --help)`]);
  }
}

/** Prints `usage` when --help or -h is among the arguments; true when it did. */
export function printedHelp(argv: readonly string[], usage: string): boolean {
  if (!argv.includes('--help') && !argv.includes('-h')) return false;
  output.stdout.text(`${usage}\n`);
  return true;
}

/** --junit-flavor's value (default ant), or a problem added to `problems`. */
export function junitFlavorOf(value: string | undefined, problems: string[]): JunitFlavor {
  const flavor = value ?? 'ant';
  if (!(JUNIT_FLAVORS as readonly string[]).includes(flavor)) problems.push(`--junit-flavor must be one of ${JUNIT_FLAVORS.join(', ')} (got '${flavor}')`);
  return flavor as JunitFlavor;
}
