// The lab CLI's command line, parsed without side effects.
import { LabUsageError } from '../kit/errors.ts';
import { invalidLabName } from '../kit/lab-name.ts';
import { DEFAULT_LAB_NAME, isLabName } from './plan.ts';
import { isVariant, VARIANTS, type Variant } from './variants.ts';

export type LabCommand =
  | { command: 'up'; name: string; variant: Variant; verbose: boolean }
  | { command: 'down'; name: string }
  | { command: 'down-all' }
  | { command: 'list' }
  | { command: 'class' }
  | { command: 'variants' }
  | { command: 'help' };

export const USAGE = `Usage: npm run lab -- <command> [options]

  up   [--variant NAME] [--name LAB] [--verbose]
                    build a reference lab of the exercise in network namespaces on this machine
  down [--name LAB] tear a lab down (processes, namespaces, root-namespace veth, .lab/LAB/)
  down --all        tear down every lab of this checkout, and slots whose owner is gone
  list              show this checkout's labs and the machine's lab slots
  class             write .lab/class.yaml: every lab of .lab/ in one inventory, each with its
                    own key (grade them with --all --inventory .lab/class.yaml)
  variants          show each variant and the student mistake it makes

  LAB      1-32 characters of a-z, 0-9 and '-' (default: ${DEFAULT_LAB_NAME})
  NAME     ${VARIANTS.join(', ')} (default: good)

'up' on a name that exists fails: run 'down' first. Needs root (network namespaces).
Outputs go to .lab/LAB/: inventory.yaml, .env, known_hosts, id_ed25519, sshd configs and logs.`;

function usageError(message: string): LabUsageError {
  return new LabUsageError(`${message} (see npm run lab -- --help)`);
}

export function parseLabArgs(argv: readonly string[]): LabCommand {
  const args = [...argv];
  const command = args.shift();
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (!['up', 'down', 'list', 'variants', 'class'].includes(command)) {
    throw usageError(`unknown command '${command}'; valid: up, down, list, variants, class`);
  }

  const options = new Map<string, string | true>();
  const valued = command === 'up' ? ['--name', '--variant'] : command === 'down' ? ['--name'] : [];
  const flags = command === 'up' ? ['--verbose'] : command === 'down' ? ['--all'] : [];
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--help' || arg === '-h') return { command: 'help' };
    const [key, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (valued.includes(key)) {
      const value = inline ?? args.shift();
      if (value === undefined || value === '') throw usageError(`${key} needs a value`);
      options.set(key, value);
    } else if (flags.includes(key) && inline === undefined) {
      options.set(key, true);
    } else {
      const valid = [...valued, ...flags];
      throw usageError(`unknown argument '${arg}' for ${command}; valid: ${valid.length > 0 ? valid.join(', ') : 'none'}`);
    }
  }

  const name = (options.get('--name') as string | undefined) ?? DEFAULT_LAB_NAME;
  if (!isLabName(name)) throw usageError(invalidLabName(name));

  if (command === 'up') {
    const variant = (options.get('--variant') as string | undefined) ?? 'good';
    if (!isVariant(variant)) throw usageError(`unknown variant '${variant}'; valid: ${VARIANTS.join(', ')}`);
    return { command: 'up', name, variant, verbose: options.has('--verbose') };
  }
  if (command === 'down') {
    if (options.has('--all')) {
      if (options.has('--name')) throw usageError('down takes --name or --all, not both');
      return { command: 'down-all' };
    }
    return { command: 'down', name };
  }
  return { command: command as 'list' | 'variants' | 'class' };
}
