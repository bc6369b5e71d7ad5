// The diagnosis table of docs/golden-tables.md: variant -> the causes the diagnosis named, in the order to fix
// them, built from what the suite observed, kept between two markers like the verdict table.
import type { Variant } from '../../labs/netns/api.ts';
import { describeDiagnoses, type ExpectedDiagnosis } from './expected-diagnoses.ts';
import type { ReadmeBlock } from './verdict-table.ts';

export const DIAGNOSIS_BLOCK: ReadmeBlock = {
  start: '<!-- diagnosis-table:start -->',
  end: '<!-- diagnosis-table:end -->',
  heading: '## Diagnoses',
  intro:
    'This table is produced by `test/e2e/verdicts.test.ts` from the diagnoses the grader gave on each reference-lab variant (the `not-virtio` of every VM aside: namespaces have veths), and regenerated with `UPDATE_VERDICTS=1 npm test -- test/e2e`.',
};

export function renderDiagnosisTable(rows: Array<[Variant, ExpectedDiagnosis[]]>): string {
  return ['| variant | what to fix, in order |', '|---|---|', ...rows.map(([variant, list]) => `| \`${variant}\` | ${describeDiagnoses(list)} |`)].join('\n');
}
