// Plays `sh` in the grader's command session (grader/transport/command-wrapper.ts): the exec
// request is SESSION_REQUEST, then every line on stdin is one command: a begin marker on stdout and
// stderr, a probe for `timeout -k`, the real command under it (stdin from /dev/null), then the end
// marker with the exit status on stdout and alone on stderr. This interprets exactly that much of
// sh (printf, if/then/else/fi, timeout, sh -c) and refuses anything else, so that a change of the
// protocol shows up as an unexpected command rather than as a silently wrong answer.
import { shellStatements } from './shell-words.ts';

export interface UnwrappedCommand {
  /** What the line prints before the command: its begin marker on each stream. */
  stdout: string;
  stderr: string;
  /** The command the check wrote. */
  inner: string;
  /** `timeout -k KILL SECONDS` around it, when the line chose that branch. */
  timeout?: { seconds: number; killAfterSeconds: number };
  /** What the line prints after the command, given the command's exit status. */
  after(status: number): { stdout: string; stderr: string };
}

export class NotWrappedError extends Error {}

// The VM's `timeout` supports -k (GNU coreutils), as on Debian and Ubuntu.
function condition(words: string[]): boolean {
  return words[0] === 'timeout' && words.includes('-k') && words.includes('true');
}

function printf(words: string[], status?: number): { stream: 'stdout' | 'stderr'; text: string } {
  const toStderr = words.includes('>&2');
  const [format = '', ...args] = words.slice(1).filter((w) => w !== '>&2').map((w) => (w === '$?' ? String(status) : w));
  if (format.split('%s').length - 1 !== Math.max(1, args.length)) throw new NotWrappedError(`a printf this simulation does not know: ${words.join(' ')}`);
  let next = 0;
  const text = format.replace(/%s/g, () => args[next++] ?? '').replace(/\\n/g, '\n');
  return { stream: toStderr ? 'stderr' : 'stdout', text };
}

function commandWords(words: string[]): Pick<UnwrappedCommand, 'inner' | 'timeout'> {
  let rest = words;
  let timeout: UnwrappedCommand['timeout'];
  if (rest[0] === 'timeout') {
    const k = rest[1] === '-k' ? Number(rest[2]) : 0;
    const after = rest[1] === '-k' ? rest.slice(3) : rest.slice(1);
    timeout = { seconds: Number(after[0]), killAfterSeconds: k };
    rest = after.slice(1);
    if (!Number.isFinite(timeout.seconds) || !Number.isFinite(k)) throw new NotWrappedError(`timeout without a duration: ${words.join(' ')}`);
  }
  if (rest[0] !== 'sh' || rest[1] !== '-c' || rest.length !== 3) throw new NotWrappedError(`not an sh -c command: ${rest.join(' ')}`);
  return { inner: rest[2]!, ...(timeout ? { timeout } : {}) };
}

export function unwrapLine(line: string): UnwrappedCommand {
  const statements = shellStatements(line);
  const before = { stdout: '', stderr: '' };
  let command: Pick<UnwrappedCommand, 'inner' | 'timeout'> | undefined;
  const trailing: string[][] = [];
  for (let i = 0; i < statements.length; i++) {
    const words = statements[i]!;
    if (words[0] === 'printf') {
      if (command) trailing.push(words);
      else {
        const { stream, text } = printf(words);
        before[stream] += text;
      }
    } else if (words[0] === 'if' && !command) {
      const [then, otherwise, fi] = [statements[i + 1], statements[i + 2], statements[i + 3]];
      if (then?.[0] !== 'then' || otherwise?.[0] !== 'else' || fi?.[0] !== 'fi') throw new NotWrappedError('an if without then/else/fi');
      if (fi[1] !== '</dev/null') throw new NotWrappedError('the command would read the session');
      command = commandWords((condition(words.slice(1)) ? then : otherwise).slice(1));
      i += 3;
    } else {
      throw new NotWrappedError(`the line runs something this simulation does not know: ${words.join(' ')}`);
    }
  }
  if (!command) throw new NotWrappedError(`not a line of the grader's session: ${line.slice(0, 200)}`);
  return {
    ...before,
    ...command,
    after: printedAfter(trailing),
  };
}

// What the printf statements after a command print, once its exit status is known.
function printedAfter(trailing: string[][]): UnwrappedCommand['after'] {
  return (status) => {
    const out = { stdout: '', stderr: '' };
    for (const words of trailing) {
      const { stream, text } = printf(words, status);
      out[stream] += text;
    }
    return out;
  };
}

// A witness channel's one line (witnessLine): begin markers, `{ COMMAND; } </dev/null` run by the
// channel's own sh (no timeout, no sh -c), end markers.
export function unwrapWitnessLine(line: string): UnwrappedCommand {
  const open = line.indexOf('; { ');
  const close = line.lastIndexOf('; } </dev/null; ');
  if (open < 0 || close < open) throw new NotWrappedError(`not a witness line: ${line.slice(0, 200)}`);
  const before = { stdout: '', stderr: '' };
  for (const words of shellStatements(line.slice(0, open))) {
    if (words[0] !== 'printf') throw new NotWrappedError(`the witness line runs ${words[0]} before its command`);
    const { stream, text } = printf(words);
    before[stream] += text;
  }
  const trailing = shellStatements(line.slice(close + '; } </dev/null; '.length));
  if (trailing.some((words) => words[0] !== 'printf')) throw new NotWrappedError('the witness line runs something after its command');
  return {
    ...before,
    inner: line.slice(open + '; { '.length, close),
    after: printedAfter(trailing),
  };
}
