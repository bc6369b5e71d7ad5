// Wraps text at spaces so that no line is wider than `width` columns: the first line follows a
// prefix `firstColumn` columns wide, the others start with `indent` spaces. A word wider than a
// line stays whole on a line of its own (never cut). Widths count code points.
export function wrapWords(text: string, width: number, firstColumn: number, indent: number): string[] {
  const words = text.split(' ').filter((word) => word !== '');
  const lines: string[] = [];
  let line = '';
  let room = width - firstColumn;
  for (const word of words) {
    const length = [...word].length;
    const needed = line === '' ? length : [...line].length + 1 + length;
    if (line !== '' && needed > room) {
      lines.push(line);
      line = word;
      room = width - indent;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.map((l, index) => (index === 0 ? l : `${' '.repeat(indent)}${l}`));
}
