// The CLI's options, once: grade takes them all (but merge's --allow-missing), and the commands that
// write the class files (grade, merge, rescore) share CLASS_FILE_OPTIONS, with one meaning each. A
// mistake on the command line is one configuration error in the grader's words, with the option
// most likely meant.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/config-error.ts';
import { closestProperty } from '../config/validate.ts';
import { JUNIT_FLAVORS, type JunitFlavor } from '../report/junit.ts';
import { checkCourseSettings } from './course-settings.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  list: { type: 'boolean' },
  host: { type: 'string' },
  all: { type: 'boolean' },
  shard: { type: 'string' },
  concurrency: { type: 'string' },
  roster: { type: 'string' },
  resume: { type: 'boolean' },
  gradescope: { type: 'boolean' },
  'gradescope-out': { type: 'string' },
  excel: { type: 'boolean' },
  inventory: { type: 'string' },
  checks: { type: 'string' },
  out: { type: 'string' },
  only: { type: 'string' },
  'known-hosts': { type: 'string' },
  'host-key-checking': { type: 'string' },
  'junit-flavor': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'retry-errors': { type: 'string' },
  hypervisor: { type: 'string' },
  jump: { type: 'string' },
  user: { type: 'string' },
  'measure-concurrency': { type: 'string' },
  store: { type: 'string' },
  deadline: { type: 'string' },
  late: { type: 'string' },
  'allow-missing': { type: 'boolean' },
} as const satisfies Options;

export type OptionName = keyof typeof OPTIONS;

/** What the class files are made of and where they go: the same for grade, merge and rescore. */
export const CLASS_FILE_OPTIONS = ['out', 'store', 'inventory', 'host', 'roster', 'deadline', 'late', 'gradescope', 'junit-flavor', 'excel'] as const satisfies readonly OptionName[];

/** The options of grade (the command without a subcommand). */
export const GRADE_OPTIONS = (Object.keys(OPTIONS) as OptionName[]).filter((name) => name !== 'allow-missing');

/** These options of the table, as parseArgs takes them. */
export function optionsOf<K extends OptionName>(names: readonly K[]): Pick<typeof OPTIONS, K> {
  return Object.fromEntries(names.map((name) => [name, OPTIONS[name]])) as Pick<typeof OPTIONS, K>;
}

// parseArgs' error as the grader says it: its text explains JavaScript, not this command line.
function parseProblem(error: unknown, options: Options, command: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const help = command ? `see ${command} --help` : 'see --help';
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const name = unknown.replace(/^--?/, '');
    if (command && unknown.startsWith('--') && name in OPTIONS) return `${unknown} is an option of grade, not of ${command} (${help})`;
    const meant = unknown.startsWith('--') ? closestProperty(name, Object.keys(options)) : undefined;
    return `unknown option '${unknown}' (${meant ? `did you mean '--${meant}'?` : help})`;
  }
  const valued = /^Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' (argument missing|does not take an argument)/.exec(message);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && valued) return `${valued[1]} ${valued[2] === 'argument missing' ? 'needs a value' : 'takes no value'} (${help})`;
  const positional = /^Unexpected argument '([^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && positional !== undefined) return `unexpected argument '${positional}' (${help})`;
  return `${message.split('\n')[0]} (${help})`;
}

/** The command line's values (and positionals when `allowPositionals`); a mistake is a ConfigError naming `command`. */
export function parseOptions<T extends Options>(command: string | undefined, argv: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals, options });
  } catch (error) {
    throw new ConfigError([`${command ? `${command}: ` : ''}${parseProblem(error, options, command)}`]);
  }
}

/** The class-file options' values, checked the way every command checks them. */
export interface ClassFileSettings {
  out?: string;
  store?: string;
  inventory?: string;
  hosts?: string[];
  roster?: string;
  deadline?: string;
  late?: string;
  gradescope: boolean;
  junitFlavor: JunitFlavor;
  excel: boolean;
}

type ClassFileValues = { [K in (typeof CLASS_FILE_OPTIONS)[number]]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** --host's labs and globs, comma-separated. */
export function hostsOf(value: string | undefined): string[] | undefined {
  return value?.split(',').map((s) => s.trim()).filter(Boolean);
}

/** --junit-flavor's value (default ant), or a problem added to `problems`. */
export function junitFlavorOf(value: string | undefined, problems: string[]): JunitFlavor {
  const flavor = value ?? 'ant';
  if (!(JUNIT_FLAVORS as readonly string[]).includes(flavor)) problems.push(`--junit-flavor must be one of ${JUNIT_FLAVORS.join(', ')} (got '${flavor}')`);
  return flavor as JunitFlavor;
}

/** The class-file options of a parsed command line; their problems are added to `problems`. */
export function classFileSettings(values: ClassFileValues, problems: string[]): ClassFileSettings {
  problems.push(...checkCourseSettings({ deadline: values.deadline, late: values.late }));
  const hosts = hostsOf(values.host);
  return {
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.store !== undefined ? { store: values.store } : {}),
    ...(values.inventory !== undefined ? { inventory: values.inventory } : {}),
    ...(hosts ? { hosts } : {}),
    ...(values.roster !== undefined ? { roster: values.roster } : {}),
    ...(values.deadline !== undefined ? { deadline: values.deadline } : {}),
    ...(values.late !== undefined ? { late: values.late } : {}),
    gradescope: values.gradescope ?? false,
    junitFlavor: junitFlavorOf(values['junit-flavor'], problems),
    excel: values.excel ?? false,
  };
}
