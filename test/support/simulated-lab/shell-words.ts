// A small POSIX `sh` lexer: a command line into statements (split on unquoted `;`) of words, with
// single quotes, double quotes and backslashes removed as sh removes them. Enough for the
// grader's command wrapper; expansions ($...) are kept as written.
export function shellStatements(line: string): string[][] {
  const statements: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endStatement = () => {
    endWord();
    if (words.length > 0) statements.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated single quote at ${i}`);
      word += line.slice(i + 1, close);
      inWord = true;
      i = close;
    } else if (c === '"') {
      inWord = true;
      for (i++; ; i++) {
        if (i >= line.length) throw new Error('unterminated double quote');
        const d = line[i]!;
        if (d === '"') break;
        if (d === '\\' && '$`"\\\n'.includes(line[i + 1] ?? '')) word += line[++i];
        else word += d;
      }
    } else if (c === '\\') {
      word += line[++i] ?? '';
      inWord = true;
    } else if (c === ';' || c === '\n') {
      endStatement();
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endStatement();
  return statements;
}
