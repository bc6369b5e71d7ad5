// The README's verdict table: variant x result, built from the verdicts the suite observed, kept
// between two markers like a golden file.
import type { Status } from '../../grader/core/result.ts';
import type { Variant } from '../../reference-lab/api.ts';
import { RESULT_KEYS } from '../support/exercise-results.ts';
import type { ResultKey } from './expected-verdicts.ts';

export const TABLE_START = '<!-- verdict-table:start -->';
export const TABLE_END = '<!-- verdict-table:end -->';

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

/** The text between the markers, or undefined when the README has neither marker. */
export function tableInReadme(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 && end === -1) return undefined;
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md has a broken verdict table: it needs ${TABLE_START} followed by ${TABLE_END}`);
  }
  return readme.slice(start + TABLE_START.length, end).trim();
}

// The README with `table` between the markers; without markers, a section appended at the end.
export function withTable(readme: string, table: string): string {
  if (tableInReadme(readme) === undefined) {
    const section = [
      '## Verdicts on the reference lab',
      '',
      'This table (✔ pass, ✘ fail, ! error: could not be graded) is produced by `test/e2e/verdicts.test.ts` from the verdicts the grader gave on each reference-lab variant, and regenerated with `UPDATE_VERDICTS=1 npm test -- test/e2e`.',
      '',
      TABLE_START,
      table,
      TABLE_END,
      '',
    ].join('\n');
    return `${readme.replace(/\n*$/, '')}\n\n${section}`;
  }
  const start = readme.indexOf(TABLE_START) + TABLE_START.length;
  const end = readme.indexOf(TABLE_END);
  return `${readme.slice(0, start)}\n${table}\n${readme.slice(end)}`;
}
