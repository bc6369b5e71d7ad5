// The verdict table of docs/golden-tables.md: variant x result, built from the verdicts the suite observed, kept
// between two markers like a golden file.
import type { Status } from '../../grader/core/result.ts';
import type { Variant } from '../../labs/netns/api.ts';
import { RESULT_KEYS } from '../support/exercise-results.ts';
import type { ResultKey } from './expected-verdicts.ts';

export const TABLE_START = '<!-- verdict-table:start -->';
export const TABLE_END = '<!-- verdict-table:end -->';

/** A generated block of docs/golden-tables.md: its markers, and the section that holds it when it is new. */
export interface ReadmeBlock {
  start: string;
  end: string;
  heading: string;
  intro: string;
}

export const VERDICT_BLOCK: ReadmeBlock = {
  start: TABLE_START,
  end: TABLE_END,
  heading: '## Verdicts',
  intro:
    'This table (✔ pass, ✘ fail, ! error: could not be graded) is produced by `test/e2e/verdicts.test.ts` from the verdicts the grader gave on each reference-lab variant, and regenerated with `UPDATE_VERDICTS=1 npm test -- test/e2e`.',
};

const MARKS: Record<Status, string> = { pass: '✔', fail: '✘', error: '!' };

export type ObservedStatuses = Partial<Record<string, Status>>;

// One row per variant in the order given, one column per result in check-file order.
export function renderVerdictTable(rows: Array<[Variant, ObservedStatuses]>): string {
  const header = `| variant | ${RESULT_KEYS.join(' | ')} |`;
  const rule = `|---|${RESULT_KEYS.map(() => ':-:').join('|')}|`;
  const cell = (statuses: ObservedStatuses, key: ResultKey) => {
    const status = statuses[key];
    return status ? MARKS[status] : '?';
  };
  const body = rows.map(([variant, statuses]) => `| \`${variant}\` | ${RESULT_KEYS.map((k) => cell(statuses, k)).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

/** The text between the markers, or undefined when the page has neither marker. */
export function tableInReadme(readme: string, block: ReadmeBlock = VERDICT_BLOCK): string | undefined {
  const start = readme.indexOf(block.start);
  const end = readme.indexOf(block.end);
  if (start === -1 && end === -1) return undefined;
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/golden-tables.md has a broken generated table: it needs ${block.start} followed by ${block.end}`);
  }
  return readme.slice(start + block.start.length, end).trim();
}

// The page with `table` between the markers; without markers, a section appended at the end.
export function withTable(readme: string, table: string, block: ReadmeBlock = VERDICT_BLOCK): string {
  if (tableInReadme(readme, block) === undefined) {
    const section = [block.heading, '', block.intro, '', block.start, table, block.end, ''].join('\n');
    return `${readme.replace(/\n*$/, '')}\n\n${section}`;
  }
  const start = readme.indexOf(block.start) + block.start.length;
  const end = readme.indexOf(block.end);
  return `${readme.slice(0, start)}\n${table}\n${readme.slice(end)}`;
}
