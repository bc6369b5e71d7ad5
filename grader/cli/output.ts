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
  /**
   * A status line kept below everything else on a terminal (a lab's progress): redrawn in place;
   * any other write erases it first and draws it again after. '' erases it for good.
   */
  status(line: string): void;
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

const ERASE_LINE = '\r\x1b[K';

export function outputStream(stream: { isTTY?: boolean; write(s: string): unknown }): OutputStream {
  let shown = '';
  let drawn = false;
  // Another write under a status line: the status line erased, the text, then (once a line is
  // complete) the status line again.
  const write = (s: string) => {
    const erase = drawn ? ERASE_LINE : '';
    drawn = shown !== '' && s.endsWith('\n');
    stream.write(`${erase}${s}${drawn ? shown : ''}`);
  };
  return {
    isTTY: stream.isTTY === true,
    text: (s) => write(terminalText(s)),
    line: (s) => write(`${sanitizeLine(s)}\n`),
    styled: (s) => write(terminalStyled(s)),
    status: (line) => {
      shown = terminalText(line.replace(/\n/g, ' '));
      stream.write(`${ERASE_LINE}${shown}`);
      drawn = shown !== '';
    },
  };
}

/** The grader's stdout and stderr; nothing in the CLI writes to process.stdout/stderr but these. */
export const output = { stdout: outputStream(process.stdout), stderr: outputStream(process.stderr) };
