// docs/reference/exit-codes.md: the grader's exit codes, the values from grader/cli/exit-codes.ts
// and the meaning from the `/** ... */` comment above each constant there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as exitCodes from '../../grader/cli/exit-codes.ts';
import { code, generatedFrom, table } from './markdown.ts';
import { REPO } from './repo.ts';

const SOURCE = 'grader/cli/exit-codes.ts';

export interface ExitCode {
  name: string;
  code: number;
  meaning: string;
}

/** The doc comment right above `export const NAME`, on one line; '' when there is none. */
export function commentAbove(source: string, name: string): string {
  const match = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export const ${name}\\b`).exec(source);
  if (!match) return '';
  return match[1]!.split('\n').map((line) => line.replace(/^\s*\*?\s?/, '').trim()).filter(Boolean).join(' ');
}

export function exitCodesOf(values: Record<string, unknown>, source: string): ExitCode[] {
  return Object.entries(values)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, value]) => ({ name, code: value, meaning: commentAbove(source, name) || name.replace(/^EXIT_/, '').toLowerCase().replace(/_/g, ' ') }))
    .sort((a, b) => a.code - b.code || a.name.localeCompare(b.name));
}

export function renderExitCodes(codes: readonly ExitCode[] = exitCodesOf(exitCodes, readFileSync(join(REPO, SOURCE), 'utf8'))): string {
  return [
    generatedFrom([SOURCE]),
    '',
    '# Exit codes',
    '',
    'What `npm run grade` (and its subcommands) exits with. Reporters never decide it: the results do.',
    '',
    table(['code', 'constant', 'meaning'], codes.map((c) => [String(c.code), code(c.name), c.meaning])),
    '',
  ].join('\n');
}
