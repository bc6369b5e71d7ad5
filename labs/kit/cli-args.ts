// A lab command line, parsed without side effects: `<command> [--option VALUE | --option=VALUE |
// --flag]...`, each command with the options it takes. Providers read the options into their own
// typed commands (netns/args.ts, libvirt/args.ts).
import { LabUsageError } from './errors.ts';
import { invalidLabName, isLabName } from './lab-name.ts';

/** What one command takes: options with a value, and flags. */
export interface CommandOptions {
  valued: readonly string[];
  flags: readonly string[];
}

/** The options given, by name (`--name`); a flag's value is `true`. */
export type Options = ReadonlyMap<string, string | true>;

export type ParsedArgs = { command: 'help' } | { command: string; options: Options };

export function usageError(program: string, message: string): LabUsageError {
  return new LabUsageError(`${message} (see npm run ${program} -- --help)`);
}

/** Splits argv into a command of `commands` and its options; `help`, `--help`, `-h` or nothing is help. */
export function parseArgs(program: string, commands: Readonly<Record<string, CommandOptions>>, argv: readonly string[]): ParsedArgs {
  const args = [...argv];
  const command = args.shift();
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  const takes = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!takes) throw usageError(program, `unknown command '${command}'; valid: ${Object.keys(commands).join(', ')}`);

  const options = new Map<string, string | true>();
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--help' || arg === '-h') return { command: 'help' };
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [key, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (takes.valued.includes(key)) {
      const value = inline ?? args.shift();
      if (value === undefined || value === '') throw usageError(program, `${key} needs a value`);
      options.set(key, value);
    } else if (takes.flags.includes(key) && inline === undefined) {
      options.set(key, true);
    } else {
      const valid = [...takes.valued, ...takes.flags];
      throw usageError(program, `unknown argument '${arg}' for ${command}; valid: ${valid.length > 0 ? valid.join(', ') : 'none'}`);
    }
  }
  return { command, options };
}

/** A valued option, or its default. */
export function valueOf(options: Options, key: string, fallback: string): string {
  const value = options.get(key);
  return typeof value === 'string' ? value : fallback;
}

/** `--name`, checked, or the provider's default lab name. */
export function labNameOf(program: string, options: Options, fallback: string): string {
  const name = valueOf(options, '--name', fallback);
  if (!isLabName(name)) throw usageError(program, invalidLabName(name));
  return name;
}

/** `down --name LAB` or `down --all`, never both. */
export function downCommand(program: string, options: Options, fallback: string): { command: 'down'; name: string } | { command: 'down-all' } {
  if (options.has('--all')) {
    if (options.has('--name')) throw usageError(program, 'down takes --name or --all, not both');
    return { command: 'down-all' };
  }
  return { command: 'down', name: labNameOf(program, options, fallback) };
}
