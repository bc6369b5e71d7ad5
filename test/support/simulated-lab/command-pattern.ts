// A responder's pattern, made from the command builder the grader's check kind itself uses: the
// builder is called with sentinel arguments, the command it returns is escaped, and each sentinel
// becomes a named capture group. A kind that changes its command changes what the simulated lab
// answers to, with no second copy of the command to keep in step.

/** Hands out sentinels: a number or a word per argument, each standing for one named group. */
export interface Sentinels {
  number(name: string): number;
  word(name: string): string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function commandPattern(build: (arg: Sentinels) => string): RegExp {
  const groups = new Map<string, { name: string; group: string }>();
  let next = 0;
  const sentinel = (name: string, kind: 'number' | 'word') => {
    const token = kind === 'number' ? String(987_650_000 + next++) : `zzsentinel${next++}zz`;
    groups.set(token, { name, group: `(?<${name}>${kind === 'number' ? '[\\d.]+' : '\\S+'})` });
    return token;
  };
  const command = build({ number: (name) => Number(sentinel(name, 'number')), word: (name) => sentinel(name, 'word') });
  let source = escape(command);
  for (const [token, { name, group }] of groups) {
    const [before, ...rest] = source.split(token);
    if (rest.length === 0) throw new Error(`the command builder did not use its argument ${name}: ${command}`);
    // A value the command repeats (a pid file) must be the same each time.
    source = `${before}${group}${rest.join(`\\k<${name}>`)}`;
  }
  return new RegExp(`^${source}$`);
}
