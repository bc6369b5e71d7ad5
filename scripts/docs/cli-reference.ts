// docs/reference/cli.md: the text each command prints for --help, taken from the usage constants
// the CLI exports (USAGE, MERGE_USAGE, RESCORE_USAGE...). Every module of grader/ that exports a
// `USAGE` or `..._USAGE` is imported, so a new subcommand appears here without a change to this file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { code, generatedFrom, table } from './markdown.ts';
import { REPO } from './repo.ts';

const GRADER_DIR = join(REPO, 'grader');
const EXPORTS_USAGE = /^export const (?:\w+_)?USAGE\b/m;

export interface UsageText {
  /** `grade` for the main usage, else the subcommand (`merge`, `rescore`...). */
  command: string;
  /** Where it comes from: `grader/cli/args.ts` USAGE. */
  source: string;
  text: string;
}

// The subcommand a usage text is for: the word after `npm run grade --` on its first line, when
// it is not an option.
function commandOf(text: string, exportName: string): string {
  const first = text.split('\n', 1)[0] ?? '';
  const word = /npm run grade -- ([a-z][a-z0-9-]*)/.exec(first)?.[1];
  if (word) return word;
  return exportName === 'USAGE' ? 'grade' : exportName.replace(/_USAGE$/, '').toLowerCase().replace(/_/g, '-');
}

/** Every usage text exported by a module of grader/, `grade` first, then by command. */
export async function usageTexts(): Promise<UsageText[]> {
  const files = readdirSync(GRADER_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .filter((f) => EXPORTS_USAGE.test(readFileSync(join(GRADER_DIR, f), 'utf8')))
    .sort();
  const found = new Map<string, UsageText>();
  for (const file of files) {
    const path = join(GRADER_DIR, file);
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'string' || !(name === 'USAGE' || name.endsWith('_USAGE')) || found.has(value)) continue;
      found.set(value, { command: commandOf(value, name), source: `${relative(REPO, path)} ${name}`, text: value });
    }
  }
  const rank = (u: UsageText) => (u.command === 'grade' ? '' : u.command);
  return [...found.values()].sort((a, b) => rank(a).localeCompare(rank(b)));
}

const OPTION = /(?<![\w-])--[a-z][a-z0-9-]*/g;

/**
 * The options a usage text gives `command`: those of its synopsis lines for that command (the
 * lines before the first blank or unindented one; a line naming another subcommand, and its
 * continuations, are that subcommand's), and those of its indented option lines.
 */
export function optionsOf(text: string, command: string): string[] {
  const lines = text.split('\n');
  const names: string[] = [];
  let owner = command;
  for (const [i, line] of lines.entries()) {
    if (i > 0 && (line.trim() === '' || !/^\s/.test(line))) break;
    const sub = /npm run grade -- ([a-z][a-z0-9-]*)/.exec(line)?.[1];
    if (/npm run grade --/.test(line)) owner = sub ?? 'grade';
    if (owner === command) names.push(...(line.match(OPTION) ?? []));
  }
  for (const m of text.matchAll(/^ {2,}(?:-[a-zA-Z], )?(--[a-z][a-z0-9-]*)/gm)) names.push(m[1]!);
  return [...new Set(names)];
}

export function renderCliReference(usages: readonly UsageText[]): string {
  const commands = usages.map((u) => u.command);
  const optionsPer = usages.map((u) => optionsOf(u.text, u.command));
  const options = [...new Set(optionsPer.flat())].sort();
  const index = table(
    ['option', ...commands.map(code)],
    options.map((o) => [code(o), ...optionsPer.map((list) => (list.includes(o) ? '✔' : ''))]),
  );
  const sections = usages.map((u) => [`## ${code(u.command)}`, '', `What \`${u.command === 'grade' ? 'npm run grade -- --help' : `npm run grade -- ${u.command} --help`}\` prints (\`${u.source}\`):`, '', '```text', u.text, '```'].join('\n'));
  return [
    generatedFrom(usages.map((u) => u.source.split(' ')[0]!)),
    '',
    '# Command line',
    '',
    'Every command of `npm run grade`, as its `--help` prints it. Relative paths are taken from the directory `npm run` was started in.',
    '',
    '## Which command takes which option',
    '',
    index,
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
}
