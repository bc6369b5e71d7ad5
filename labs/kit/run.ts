// Runs one local command (as root, on this machine) through zx; a failure becomes a LabError.
import { $ } from 'zx';
import { LabError } from './errors.ts';

export interface LocalResult {
  exitCode: number | null;
  /** Set when the command was killed by a signal (exitCode is then null). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}


export function describeCommand(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Runs argv; resolves with the result whatever the exit code. */
export async function tryRun(argv: readonly string[], input?: string): Promise<LocalResult> {
  // zx quotes each array element (bash $'...' quoting: fine, this is the local bash).
  const output = await $({ quiet: true, nothrow: true, verbose: false, ...(input === undefined ? {} : { input }) })`${argv}`;
  return { exitCode: output.exitCode, signal: output.signal, stdout: output.stdout, stderr: output.stderr };
}

/** Runs argv; throws a LabError naming the command and its stderr when it exits non-zero. */
export async function run(argv: readonly string[], input?: string): Promise<LocalResult> {
  const result = await tryRun(argv, input);
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
    const how = result.signal ? `killed by ${result.signal}` : `exit ${result.exitCode}`;
    throw new LabError(`\`${describeCommand(argv)}\` failed (${how})${detail ? `: ${detail}` : ''}`);
  }
  return result;
}
