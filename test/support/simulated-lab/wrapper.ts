// Plays `sh` on the grader's command wrapper (grader/transport/command-wrapper.ts): the exec
// request is `sh -c WRAPPER`, the wrapper prints a marker line on stdout and on stderr, probes for
// `timeout -k`, then execs the real command under it. This interprets exactly that much of sh
// (printf, if/then/else/fi, exec, timeout, sh -c) and refuses anything else, so that a change of
// the wrapper shows up as an unexpected command rather than as a silently wrong answer.
import { shellStatements } from './shell-words.ts';

export interface UnwrappedCommand {
  /** What the wrapper printed before the command: its marker line on each stream. */
  stdout: string;
  stderr: string;
  /** The command the check wrote. */
  inner: string;
  /** `timeout -k KILL SECONDS` around it, when the wrapper chose that branch. */
  timeout?: { seconds: number; killAfterSeconds: number };
}

export class NotWrappedError extends Error {}

// The VM's `timeout` supports -k (GNU coreutils), as on Debian and Ubuntu.
function condition(words: string[]): boolean {
  return words[0] === 'timeout' && words.includes('-k') && words.includes('true');
}

function printf(words: string[]): { stream: 'stdout' | 'stderr'; text: string } {
  const toStderr = words.includes('>&2');
  const [format = '', ...args] = words.slice(1).filter((w) => w !== '>&2');
  const expand = (arg: string) => format.replace('%s', arg).replace(/\\n/g, '\n');
  return { stream: toStderr ? 'stderr' : 'stdout', text: args.length === 0 ? expand('') : args.map(expand).join('') };
}

function execWords(words: string[]): Pick<UnwrappedCommand, 'inner' | 'timeout'> {
  let rest = words[0] === 'exec' ? words.slice(1) : words;
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

export function unwrapCommand(request: string): UnwrappedCommand {
  const outer = shellStatements(request);
  if (outer.length !== 1 || outer[0]![0] !== 'sh' || outer[0]![1] !== '-c' || outer[0]!.length !== 3) {
    throw new NotWrappedError(`not the grader's wrapper: ${request.slice(0, 200)}`);
  }
  const statements = shellStatements(outer[0]![2]!);
  const out = { stdout: '', stderr: '' };
  for (let i = 0; i < statements.length; i++) {
    const words = statements[i]!;
    if (words[0] === 'printf') {
      const { stream, text } = printf(words);
      out[stream] += text;
    } else if (words[0] === 'if') {
      const [then, otherwise, fi] = [statements[i + 1], statements[i + 2], statements[i + 3]];
      if (then?.[0] !== 'then' || otherwise?.[0] !== 'else' || fi?.[0] !== 'fi') throw new NotWrappedError('an if without then/else/fi');
      return { ...out, ...execWords((condition(words.slice(1)) ? then : otherwise).slice(1)) };
    } else if (words[0] === 'exec') {
      return { ...out, ...execWords(words) };
    } else {
      throw new NotWrappedError(`the wrapper runs something this simulation does not know: ${words.join(' ')}`);
    }
  }
  throw new NotWrappedError('the wrapper never runs a command');
}
