// rescore as grade and merge (issue 27, rough edge 3): the same exit codes on the same reports (1
// when a check failed, 0 only when every check of every lab passed) and the same class-file options.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { classLabReport } from '../support/sample-class.ts';
import { fixturePath, testDir } from '../support/test-files.ts';
import { EXIT_NOT_ALL_PASSED, EXIT_PASSED } from '../../grader/cli/exit-codes.ts';
import { renderJson } from '../../grader/report/json.ts';

const CHECKS = `checks:
  - id: ip-forward
    kind: ip-forward
    title: IP forwarding is on in the router VM
    points: 2
    hosts: [router]
    hint: Enable IP forwarding on the router VM.
`;

describe('rescore', () => {
  it('exits 1 on reports where a check failed, 0 where every check passed, as grade and merge do', async () => {
    const dir = await testDir('rescore-exit-');
    const checks = join(dir, 'checks.yaml');
    await writeFile(checks, CHECKS);
    const failing = join(dir, 'failing');
    const passing = join(dir, 'passing');
    const onlyForwarding = (report: ReturnType<typeof classLabReport>) => {
      const results = report.results.filter((r) => r.id === 'ip-forward');
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return { ...report, results, score: results.reduce((s, r) => s + r.points, 0), maxScore: 2, summary: { pass: count('pass'), fail: count('fail'), error: count('error'), total: results.length } };
    };
    await mkdir(failing);
    await mkdir(passing);
    await writeFile(join(failing, 'nc1.json'), renderJson(onlyForwarding(classLabReport('nc1', { 'ip-forward router': { status: 'fail', message: 'net.ipv4.ip_forward = 0' } }))));
    await writeFile(join(passing, 'nc1.json'), renderJson(onlyForwarding(classLabReport('nc1'))));
    const failed = await runCli(['rescore', failing, '--checks', checks, '--out', join(dir, 'failed-out')]);
    expect(failed.stdout, failed.stderr).toMatch(/^nc1 +0\/2 -> 0\/2 +\(unchanged\)$/m);
    expect(failed.code, failed.stdout + failed.stderr).toBe(EXIT_NOT_ALL_PASSED);
    const passed = await runCli(['rescore', passing, '--checks', checks, '--out', join(dir, 'passed-out')]);
    expect(passed.code, passed.stdout + passed.stderr).toBe(EXIT_PASSED);
  });

  it("takes grade's class-file options with their meaning: --inventory names the class, --excel marks the gradebook for Excel", async () => {
    const dir = await testDir('rescore-options-');
    const checks = join(dir, 'checks.yaml');
    await writeFile(checks, CHECKS);
    const reports = join(dir, 'reports');
    await mkdir(reports);
    const report = classLabReport('lab42');
    const results = report.results.filter((r) => r.id === 'ip-forward');
    await writeFile(join(reports, 'lab42.json'), renderJson({ ...report, results, score: 2, maxScore: 2, summary: { pass: 1, fail: 0, error: 0, total: 1 } }));
    const out = join(dir, 'out');
    const run = await runCli(['rescore', reports, '--checks', checks, '--out', out, '--excel', '--inventory', fixturePath('inventories/two-labs.yaml')]);
    expect(run.code, run.stdout + run.stderr).toBe(EXIT_PASSED);
    expect((await readFile(join(out, 'gradebook.csv'), 'utf8')).startsWith('\ufeff')).toBe(true);
    const page = await readFile(join(out, 'class.html'), 'utf8');
    expect(page).toMatch(/No report yet \(1\).*<code>lab43<\/code>/s);
  });
});
