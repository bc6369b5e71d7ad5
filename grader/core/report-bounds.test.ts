import { describe, expect, it } from 'vitest';
import { validateKeptReport } from '../report/read-report.ts';
import { renderJson } from '../report/json.ts';
import { sampleReport } from '../../test/support/sample-report.ts';
import { boundReport, boundText, REPORT_LIMITS } from './report-bounds.ts';
import type { LabReport } from './lab-report.ts';

describe('boundText', () => {
  it('keeps short text, cuts long text to the limit saying how much was cut', () => {
    expect(boundText('abc', 10)).toBe('abc');
    const cut = boundText('x'.repeat(1000), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    const [, kept = '', told = ''] = /^(x+) \[\.\.\. (\d+) more characters cut\]$/.exec(cut) ?? [];
    expect(kept.length + Number(told)).toBe(1000);
  });
});

describe('boundReport', () => {
  // Everything a check or a host summary could make too big, at once.
  function oversized(): LabReport {
    const report = sampleReport();
    const [first] = report.results;
    first!.message = 'm'.repeat(100_000);
    first!.hint = 'h'.repeat(100_000);
    first!.evidence = Array.from({ length: 400 }, (_, i) => ({ host: 'router', command: `c${i}`, exitCode: 0, output: 'o'.repeat(20_000) }));
    first!.measurements = { ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`m${i}`, i])), bad: Number.NaN, huge: 1e300 };
    report.hosts[1]!.internalInterfaces = Array.from({ length: 300 }, (_, i) => `x${i}`);
    report.hosts[1]!.error = 'e'.repeat(100_000);
    return report;
  }

  it('makes an oversized report pass the schema, and is idempotent', () => {
    expect(validateKeptReport(JSON.parse(JSON.stringify({ ...oversized(), schemaVersion: 1, generator: 'router-lab-grader' }))).ok).toBe(false);
    const bounded = boundReport(oversized());
    expect(validateKeptReport(JSON.parse(renderJson(bounded)))).toMatchObject({ ok: true });
    expect(boundReport(bounded)).toEqual(bounded);
    const result = bounded.results[0]!;
    expect(result.evidence).toHaveLength(REPORT_LIMITS.evidencePerResult);
    expect(result.evidence.at(-1)?.output).toBe('145 more pieces of evidence cut');
    expect(result.evidence[0]?.output).toMatch(/more characters cut\]$/);
    expect(Object.keys(result.measurements)).toHaveLength(REPORT_LIMITS.measurementsPerResult);
    expect(bounded.hosts[1]?.internalInterfaces).toHaveLength(REPORT_LIMITS.interfacesPerHost);
  });

  it('renderJson bounds a report made elsewhere too', () => {
    expect(validateKeptReport(JSON.parse(renderJson(oversized())))).toMatchObject({ ok: true });
  });

  it('leaves a report within its limits as it was', () => {
    expect(boundReport(sampleReport())).toEqual(sampleReport());
  });
});
