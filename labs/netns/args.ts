// The lab CLI's command line, parsed without side effects.
import { downCommand, labNameOf, parseArgs, usageError, valueOf } from '../kit/cli-args.ts';
import type { LabCommand } from '../kit/provider.ts';
import { DEFAULT_LAB_NAME } from './plan.ts';
import { isVariant, VARIANTS, type Variant } from './variants.ts';

export interface NetnsUp {
  name: string;
  variant: Variant;
  verbose: boolean;
  /** `--plan FILE --student ID`: build the lab on that student's addressing plan. */
  plan?: { file: string; student: string };
}
export type NetnsCommand = LabCommand<NetnsUp, { command: 'class' }>;

const PROGRAM = 'lab';

export const COMMANDS = {
  up: { valued: ['--name', '--variant', '--plan', '--student'], flags: ['--verbose'] },
  down: { valued: ['--name'], flags: ['--all'] },
  list: { valued: [], flags: [] },
  variants: { valued: [], flags: [] },
  class: { valued: [], flags: [] },
} as const;

export const USAGE = `Usage: npm run lab -- <command> [options]

  up   [--variant NAME] [--name LAB] [--plan FILE --student ID] [--verbose]
                    build a reference lab of the exercise in network namespaces on this machine;
                    with --plan, on that student's addressing plan (the plans.json that
                    'npm run grade -- plans' wrote)
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

export function parseLabArgs(argv: readonly string[]): NetnsCommand {
  const parsed = parseArgs(PROGRAM, COMMANDS, argv);
  if (parsed.command === 'help') return { command: 'help' };
  const { command, options } = parsed as { command: keyof typeof COMMANDS; options: Map<string, string | true> };
  switch (command) {
    case 'up': {
      const name = labNameOf(PROGRAM, options, DEFAULT_LAB_NAME);
      const variant = valueOf(options, '--variant', 'good');
      if (!isVariant(variant)) throw usageError(PROGRAM, `unknown variant '${variant}'; valid: ${VARIANTS.join(', ')}`);
      const file = options.get('--plan');
      const student = options.get('--student');
      if ((typeof file === 'string') !== (typeof student === 'string')) throw usageError(PROGRAM, '--plan FILE and --student ID go together');
      const plan = typeof file === 'string' && typeof student === 'string' ? { plan: { file, student } } : {};
      return { command: 'up', name, variant, verbose: options.has('--verbose'), ...plan };
    }
    case 'down':
      return downCommand(PROGRAM, options, DEFAULT_LAB_NAME);
    default:
      return { command };
  }
}
