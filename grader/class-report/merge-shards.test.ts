import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../../test/support/test-files.ts';
import type { LabReport } from '../core/lab-report.ts';
import { writeReports } from '../report/write-reports.ts';
import { collectReports } from './collect-reports.ts';
import { checkIdsOf, planMerge } from './merge-shards.ts';
import { classLabReport, CHECK_IDS } from './sample-class.ts';

const provenance = { checksDigest: `sha256:${'a'.repeat(64)}`, graderVersion: '0.1.0' };
const lab = (name: string, outcomes = {}, p = provenance): LabReport => ({ ...classLabReport(name, outcomes), provenance: p });
const stored = (dir: string, report: LabReport) => ({ file: `${dir}/${report.lab}.json`, report });

describe('merging shards', () => {
  it('takes every lab once, in check-file order', () => {
    const plan = planMerge(['lab1', 'lab2', 'lab3'], [stored('s1', lab('lab1')), stored('s2', lab('lab2')), stored('s3', lab('lab3'))]);
    expect(plan).toMatchObject({ missing: [], problems: [] });
    expect(plan.reports.map((r) => r.lab)).toEqual(['lab1', 'lab2', 'lab3']);
    expect(checkIdsOf(plan.reports)).toEqual(CHECK_IDS);
  });

  it('lists the labs of the inventory no shard graded', () => {
    expect(planMerge(['lab1', 'lab2', 'lab3'], [stored('s1', lab('lab1'))]).missing).toEqual(['lab2', 'lab3']);
  });

  it('accepts a lab twice with the same results, refuses it with different ones', () => {
    expect(planMerge(['lab1'], [stored('s1', lab('lab1')), stored('s2', { ...lab('lab1'), durationMs: 5 })]).problems).toEqual([]);
    const problems = planMerge(['lab1'], [stored('s1', lab('lab1')), stored('s2', lab('lab1', { 'ping vm1': { status: 'fail' } }))]).problems;
    expect(problems).toEqual([expect.stringMatching(/^lab 'lab1' was graded more than once with different results: s1\/lab1.json \(15\/15\), s2\/lab1.json \(13\/15\)$/)]);
  });

  it('refuses reports graded with other check files or none recorded, one line each; another grader version is the same grading', () => {
    const other = { ...provenance, checksDigest: `sha256:${'b'.repeat(64)}` };
    const problems = planMerge(['lab1', 'lab2', 'lab3', 'lab4'], [
      stored('s1', lab('lab1')),
      stored('s2', lab('lab2', {}, other)),
      stored('s3', lab('lab3', {}, { ...provenance, graderVersion: '0.2.0' })),
      stored('s4', classLabReport('lab4')),
    ]).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^reports graded with check file sha256:aaaaaaaaaaaa: 2 \(s1\/lab1\.json, s3\/lab3\.json\)/);
    expect(problems[1]).toMatch(/^reports graded with check file sha256:bbbbbbbbbbbb: 1 \(s2\/lab2\.json\)/);
    expect(problems[2]).toMatch(/no provenance/);
  });

  it('refuses a report of a lab the inventory does not have', () => {
    expect(planMerge(['lab1'], [stored('s1', lab('lab1')), stored('s1', lab('lab9'))]).problems).toEqual([expect.stringMatching(/lab 'lab9' is not in the inventory/)]);
  });
});

describe('collecting the reports of a directory', () => {
  it('reads each NAME.json lab report directly in it, nothing else', async () => {
    const dir = await testDir('rlg-collect-');
    await writeReports(lab('lab1'), dir);
    await writeReports(lab('lab2'), dir);
    await mkdir(join(dir, 'gradescope', 'lab1'), { recursive: true });
    await writeFile(join(dir, 'gradescope', 'lab1', 'results.json'), '{"score": 1}');
    await writeFile(join(dir, 'other.json'), JSON.stringify({ schemaVersion: 1, lab: 'lab3', results: [], summary: {} }));
    await writeFile(join(dir, 'broken.json'), '{');
    expect((await collectReports(dir)).map((s) => [s.file, s.report.lab])).toEqual([
      [join(dir, 'lab1.json'), 'lab1'],
      [join(dir, 'lab2.json'), 'lab2'],
    ]);
    expect(await collectReports(join(dir, 'absent'))).toEqual([]);
  });
});
