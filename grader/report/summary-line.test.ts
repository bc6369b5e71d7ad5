// A CI script tells "a check failed" from "could not be graded" by the console's summary line
// (exit 1 covers both): its format is a documented contract, read back by SUMMARY_LINE_PATTERN.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../test/support/run-cli.ts';
import { renderConsole, SUMMARY_LINE_PATTERN } from './console.ts';
import { sampleReport, sampleResult } from '../../test/support/sample-report.ts';

const report = (statuses: Array<'pass' | 'fail' | 'error'>) => {
  const results = statuses.map((status, i) => sampleResult({ id: `c${i}`, host: 'vm1', status, points: status === 'pass' ? 2 : 0, maxPoints: 2 }));
  const count = (s: string) => statuses.filter((x) => x === s).length;
  return sampleReport({ results, score: 2 * count('pass'), maxScore: 2 * statuses.length, summary: { pass: count('pass'), fail: count('fail'), error: count('error'), total: statuses.length } });
};

describe("the console's summary line", () => {
  for (const [name, statuses] of [
    ['a check failed', ['pass', 'fail', 'pass']],
    ['one could not be graded', ['pass', 'error']],
    ['both', ['fail', 'error', 'error', 'pass']],
    ['all passed', ['pass', 'pass']],
  ] as const) {
    it(`reads back the counts: ${name}`, () => {
      const r = report([...statuses]);
      const match = SUMMARY_LINE_PATTERN.exec(renderConsole(r, { color: false }))?.groups;
      expect(match).toEqual({ score: String(r.score), max: String(r.maxScore), passed: String(r.summary.pass), failed: String(r.summary.fail), errors: String(r.summary.error) });
    });
  }

  it('is documented where a CI script author looks: the exit codes and docs/reference-lab.md', () => {
    expect(readFileSync(`${REPO}/grader/cli/exit-codes.ts`, 'utf8')).toContain('Score: S/M (P passed, F failed, E errors)');
    expect(readFileSync(`${REPO}/docs/reference-lab.md`, 'utf8')).toContain('Score: S/M (P passed, F failed, E errors)');
  });
});
