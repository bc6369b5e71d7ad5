import { describe, expect, it } from 'vitest';
import { HOSTILE_OUTPUT } from '../../test/support/sample-report.ts';
import { outputStream, terminalStyled, terminalText } from './output.ts';

const ESC_OR_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
// A roster e-mail as the issue found it: retitle, clear, a fake verdict, reversed text.
const ATTACK = 'x\x1b]0;all good\x07\x1b[2J\x1b[H\r\x1b[K\x1b[32m✔ all labs graded\x1b[39m\u202eedarg\x9b2J';

describe('terminalText', () => {
  it('removes every escape sequence, CR, C0/C1 control and bidi control, keeping the words', () => {
    const text = terminalText(ATTACK);
    expect(text).not.toMatch(ESC_OR_CONTROL);
    expect(text).not.toContain('\u202e');
    expect(text).toBe('x\n✔ all labs gradededarg');
    expect(terminalText(HOSTILE_OUTPUT)).not.toMatch(ESC_OR_CONTROL);
  });

  it('keeps tabs and line breaks', () => {
    expect(terminalText('a\tb\nc')).toBe('a\tb\nc');
  });
});

describe('terminalStyled', () => {
  it("keeps only the grader's own colours, bold and erase-line", () => {
    expect(terminalStyled('\x1b[1mResults\x1b[22m \x1b[32m✔\x1b[39m \x1b[31m✘\x1b[39m \x1b[33m!\x1b[39m')).toBe('\x1b[1mResults\x1b[22m \x1b[32m✔\x1b[39m \x1b[31m✘\x1b[39m \x1b[33m!\x1b[39m');
    expect(terminalStyled('\r\x1b[K[1/3] lab01')).toBe('\r\x1b[K[1/3] lab01');
  });

  it('removes everything else: clear screen, title, conceal, cursor moves, lone CR, bidi', () => {
    const styled = terminalStyled('a\x1b[2J\x1b]0;t\x07\x1b[8mhidden\x1b[H\rb\u202ec');
    expect(styled).toBe('ahidden\nbc');
  });
});

describe('outputStream', () => {
  it('sanitises what it writes and reports whether the stream is a terminal', () => {
    const written: string[] = [];
    const out = outputStream({ isTTY: true, write: (s: string) => written.push(s) });
    out.text(`router-lab-grader: roster r.csv:2: '${ATTACK}' is not an e-mail address\n`);
    out.styled('\x1b[32m✔\x1b[39m\x1b[2J\n');
    out.line('problem:\r\n✔ fake line\x1b[2J');
    expect(out.isTTY).toBe(true);
    expect(written.join('')).toBe("router-lab-grader: roster r.csv:2: 'x\n✔ all labs gradededarg' is not an e-mail address\n\x1b[32m✔\x1b[39m\nproblem: ✔ fake line\n");
  });
});

describe('the CLI', () => {
  it('writes to stdout and stderr only through output.ts', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const root = new URL('../', import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'cli/output.ts');
    const direct: string[] = [];
    for (const file of files) {
      const text = await readFile(new URL(file, root), 'utf8');
      if (/process\.(stdout|stderr)\.write|console\.(log|error|warn|info)\(/.test(text)) direct.push(file);
    }
    expect(direct).toEqual([]);
  });
});

describe('a status line', () => {
  it('stays below what else is written: erased first, drawn again after each complete line, erased at the end', () => {
    const writes: string[] = [];
    const out = outputStream({ isTTY: true, write: (s: string) => writes.push(s) });
    out.line('before');
    out.status('[0/5] nc4: connecting to the VMs');
    out.line('router-lab-grader: recorded the host key of vm1');
    out.status('[1/5] nc4: 1 passed');
    out.status('');
    expect(writes.join('')).toBe(
      'before\n\r\x1b[K[0/5] nc4: connecting to the VMs\r\x1b[Krouter-lab-grader: recorded the host key of vm1\n[0/5] nc4: connecting to the VMs\r\x1b[K[1/5] nc4: 1 passed\r\x1b[K',
    );
    out.line('after');
    expect(writes.at(-1)).toBe('after\n');
  });
});
