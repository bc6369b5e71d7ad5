// One option vocabulary for the commands that write the class files (issue 27, rough edge 3).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.ts';
import { parseCliArgs, USAGE } from './args.ts';
import { MERGE_USAGE, parseMergeArgs } from './merge-command.ts';
import { parseRescoreArgs, RESCORE_USAGE } from './rescore-command.ts';
import { CLASS_FILE_OPTIONS } from './option-table.ts';

function problemsOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('parsed without a problem');
}

const DEADLINE = '2026-03-10T23:59+01:00';

describe('the options of the class files', () => {
  it('are taken by merge with the meaning grade gives them', () => {
    const merge = parseMergeArgs(['a', 'b', '--out', 'class', '--excel', '--inventory', 'i.yaml', '--host', 'nc*', '--deadline', DEADLINE, '--late', 'no-credit', '--junit-flavor', 'jenkins']);
    const grade = parseCliArgs(['--all', '--out', 'class', '--excel', '--inventory', 'i.yaml', '--deadline', DEADLINE, '--late', 'no-credit', '--junit-flavor', 'jenkins']);
    expect(merge).toMatchObject({ dirs: ['a', 'b'], out: 'class', excel: true, inventory: 'i.yaml', hosts: ['nc*'], deadline: DEADLINE, late: 'no-credit', junitFlavor: 'jenkins' });
    expect(grade).toMatchObject({ out: 'class', excel: true, inventory: 'i.yaml', deadline: DEADLINE, late: 'no-credit', junitFlavor: 'jenkins' });
  });

  it('are taken by rescore with the same meaning', () => {
    const rescore = parseRescoreArgs(['old', '--checks', 'new.yaml', '--excel', '--inventory', 'i.yaml', '--host', 'nc1,nc2', '--deadline', DEADLINE, '--late', 'penalty:10', '--gradescope']);
    expect(rescore).toMatchObject({ dir: 'old', checks: 'new.yaml', excel: true, inventory: 'i.yaml', hosts: ['nc1', 'nc2'], deadline: DEADLINE, late: 'penalty:10', gradescope: true });
    expect(parseRescoreArgs(['old', '--checks', 'new.yaml'])).toMatchObject({ excel: false });
    expect(parseRescoreArgs(['old', '--checks', 'new.yaml']).inventory).toBeUndefined();
  });

  it('are checked the same way by every command (a bad --late is one problem naming it)', () => {
    for (const parse of [() => parseCliArgs(['--all', '--late', 'never']), () => parseMergeArgs(['a', '--out', 'o', '--late', 'never']), () => parseRescoreArgs(['a', '--checks', 'c', '--late', 'never'])]) {
      expect(problemsOf(parse)).toEqual([expect.stringMatching(/--late must be .* \(got 'never'\)$/)]);
    }
  });

  it("are in each command's help", () => {
    for (const usage of [USAGE, MERGE_USAGE, RESCORE_USAGE]) for (const option of CLASS_FILE_OPTIONS) expect(usage).toContain(`--${option}`);
  });
});

describe('an option a command does not take', () => {
  it('is named with the closest one, not with Node\'s text', () => {
    expect(problemsOf(() => parseCliArgs(['--all', '--concurency', '4']))).toEqual(["unknown option '--concurency' (did you mean '--concurrency'?)"]);
    expect(problemsOf(() => parseMergeArgs(['a', '--out', 'o', '--excell']))).toEqual(["merge: unknown option '--excell' (did you mean '--excel'?)"]);
    expect(problemsOf(() => parseRescoreArgs(['a', '--checks', 'c', '--chekcs', 'd']))).toEqual(["rescore: unknown option '--chekcs' (did you mean '--checks'?)"]);
  });

  it('without a close one, points to --help', () => {
    expect(problemsOf(() => parseCliArgs(['--all', '--frobnicate']))).toEqual(["unknown option '--frobnicate' (see --help)"]);
    expect(problemsOf(() => parseMergeArgs(['a', '--out', 'o', '-x']))).toEqual(["merge: unknown option '-x' (see merge --help)"]);
  });

  it("that is another command's says whose it is", () => {
    expect(problemsOf(() => parseRescoreArgs(['a', '--checks', 'c', '--concurrency', '2']))).toEqual(["rescore: --concurrency is an option of grade, not of rescore (see rescore --help)"]);
  });

  it('says plainly when a value is missing or not expected, and when an argument is not an option', () => {
    expect(problemsOf(() => parseCliArgs(['--all', '--out']))).toEqual(['--out needs a value (see --help)']);
    expect(problemsOf(() => parseMergeArgs(['a', '--out', 'o', '--excel=yes']))).toEqual(['merge: --excel takes no value (see merge --help)']);
    expect(problemsOf(() => parseCliArgs(['lab01']))).toEqual(["unexpected argument 'lab01' (see --help)"]);
  });
});
