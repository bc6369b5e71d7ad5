// What a lab provider is to the one command-line runner (run-provider.ts): each builds the
// exercise's three machines and three networks its own way (network namespaces, libvirt/QEMU...)
// and answers the same commands: up, down, down --all, list, variants, help (its usage).
import type { CommandOptions } from './cli-args.ts';

/** One line of output. */
export type Say = (line: string) => void;

/** A variant as `variants` prints it: its name and the student's mistake. */
export interface VariantLine {
  name: string;
  mistake: string;
}

/** The commands every provider answers, as its parser returns them; `Own` are its own commands. */
export type LabCommand<Up, Own extends { command: string } = never> =
  | ({ command: 'up' } & Up)
  | { command: 'down'; name: string }
  | { command: 'down-all' }
  | { command: 'list' }
  | { command: 'variants' }
  | { command: 'help' }
  | Own;

export interface LabProvider<Up, Own extends { command: string } = never> {
  /** The npm script that runs it (`lab`, `vmlab`): in messages and the usage text. */
  program: string;
  /** What one of its labs is called in messages: `lab`, `VM lab`. */
  noun: string;
  usage: string;
  /** Every command it takes, with its options: up, down, list, variants, and its own. */
  commands: Readonly<Record<string, CommandOptions>>;
  /** argv as a command; pure, throws LabUsageError. */
  parse(argv: readonly string[]): LabCommand<Up, Own>;
  variants: readonly VariantLine[];
  /** Builds a lab (or several) and prints how to reach and grade it; an abort of `signal` tears down what was built. */
  up(command: Up, signal: AbortSignal, say: Say): Promise<number>;
  down(name: string, say: Say): Promise<void>;
  /** Every lab of this checkout, then what crashed labs left; returns what was removed. */
  downAll(say: Say): Promise<string[]>;
  /** Prints this checkout's labs and the machine's slots. */
  list(say: Say): Promise<void>;
  /** Its own commands (`lab -- class`, `vmlab -- image`...). */
  run(command: Own, say: Say): Promise<number>;
}
