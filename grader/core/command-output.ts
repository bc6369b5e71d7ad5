import type { CommandResult } from './command-result.ts';
import type { Evidence } from './result.ts';
import { CannotGrade } from './outcomes.ts';

/** The most of one command's output a report keeps. */
export const EVIDENCE_LIMIT = 4000;

// A command's output cut to EVIDENCE_LIMIT characters, saying how much was cut.
export function boundedOutput(text: string): string {
  return text.length <= EVIDENCE_LIMIT ? text : `${text.slice(0, EVIDENCE_LIMIT)}\n[... ${text.length - EVIDENCE_LIMIT} more characters cut]`;
}

export function evidenceOf(host: string, result: CommandResult, output?: string): Evidence {
  const text = output ?? [result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n');
  return { host, command: result.command, exitCode: result.exitCode, output: boundedOutput(text) };
}

// A command that was cut short gives nothing to grade on.
export function requireCompleted(host: string, result: CommandResult): void {
  if (result.timedOut) {
    throw new CannotGrade(`\`${result.command}\` on ${host} did not finish in time (${Math.round(result.durationMs / 1000)} s)`, [evidenceOf(host, result)]);
  }
  if (result.truncated) {
    throw new CannotGrade(`\`${result.command}\` on ${host} printed more output than the grader reads`, [evidenceOf(host, result)]);
  }
}

// Exit 127 or a shell's "not found": the tool is not installed (or not on the PATH).
export function isMissingTool(result: CommandResult, tool: string): boolean {
  if (result.exitCode === 127) return true;
  const text = `${result.stderr}\n${result.stdout}`;
  return new RegExp(`${tool}[^\\n]*(not found|No such file)|(not found|No such file)[^\\n]*${tool}`, 'i').test(text);
}

// Runs a pure parser on a command's output; output it cannot read makes the check an error.
export function parseOutput<T>(host: string, result: CommandResult, parse: (text: string) => T, text = result.stdout): T {
  try {
    return parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CannotGrade(`could not read the output of \`${result.command}\` on ${host}: ${reason}`, [evidenceOf(host, result)]);
  }
}
