import { sanitizeLine, sanitizeText } from '../report/sanitize.ts';

// The grader's own terminal styles: the console summary's colours and bold, and the progress
// line's "back to the line start, erase it". Nothing else that acts on a terminal ever leaves.
const OWN_STYLE = /(\x1b\[(?:1|22|31|32|33|39)m|\r\x1b\[K)/;

// What the CLI prints, made safe for a terminal at the one place it leaves: roster fields,
// inventory values, file names and VM output reach error messages and summaries, and an escape
// sequence there could retitle or clear the instructor's terminal and print a fake verdict.
interface OutputStream {
  readonly isTTY: boolean;
  /** Text from anywhere: escape sequences, control and bidirectional characters removed. */
  text(s: string): void;
  /** One line (an error, a problem): as text, its line breaks and whitespace runs made one space, then a newline. */
  line(s: string): void;
  /** A renderer's output that may carry the grader's own styles (only those pass). */
  styled(s: string): void;
}

/** Text for a terminal: every escape sequence, control (but tab and newline) and bidi control removed. */
export function terminalText(s: string): string {
  return sanitizeText(s);
}

/** As terminalText, but the grader's own styles (OWN_STYLE) are kept. */
export function terminalStyled(s: string): string {
  return s
    .split(OWN_STYLE)
    .map((part, i) => (i % 2 === 1 ? part : sanitizeText(part)))
    .join('');
}

export function outputStream(stream: { isTTY?: boolean; write(s: string): unknown }): OutputStream {
  return {
    isTTY: stream.isTTY === true,
    text: (s) => void stream.write(terminalText(s)),
    line: (s) => void stream.write(`${sanitizeLine(s)}\n`),
    styled: (s) => void stream.write(terminalStyled(s)),
  };
}

/** The grader's stdout and stderr; nothing in the CLI writes to process.stdout/stderr but these. */
export const output = { stdout: outputStream(process.stdout), stderr: outputStream(process.stderr) };
