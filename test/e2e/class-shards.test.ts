// A class graded beyond one process, on reference labs: one run, then three shard processes and
// a merge, then the GitLab pipeline example under gitlab-ci-local (shell executor), give the same
// gradebook, class JUnit outcomes and class page sections; a merge with a shard missing is
// refused. Two labs made to share one VM's host key are flagged as possible copies (an
// unmodified class has none). With every lab torn down, `rescore` under a lower iperf floor turns
// the slow link's iperf into a pass.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { LabReport } from '../../grader/core/lab-report.ts';
import type { LabHandle, Variant } from '../../labs/netns/api.ts';
import { REPO, runCli, runCommand } from '../support/run-cli.ts';
import { upInstructorClass } from '../support/instructor-class.ts';

const VARIANTS: Variant[] = ['good', 'slow-link', 'good'];

let labs: LabHandle[] = [];
let dir: string;
let inventory: string;
let checks: string;
let labsDown = false;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlg-shards-'));
  const course = await upInstructorClass('shd', VARIANTS, dir);
  ({ labs, inventoryPath: inventory, checksPath: checks } = course);
}, 180_000);

afterAll(async () => {
  if (!labsDown) await Promise.all(labs.map((lab) => lab.down()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = { GRADER_SSH_KEY: undefined, GRADER_KNOWN_HOSTS: undefined };
const grade = (out: string, ...extra: string[]) =>
  runCli(['--all', '--inventory', inventory, '--checks', checks, '--out', out, '--host-key-checking', 'off', ...extra], env, dir);
const text = (path: string) => readFile(path, 'utf8');
// A gradebook as graded: without `graded_at`, which says when each run graded (a shard, a pipeline
// job and the single run grade at different times).
async function gradebookAsGraded(path: string): Promise<string[][]> {
  const rows = (await text(path)).trim().split('\r\n').map((line) => line.split(','));
  const at = rows[0]!.indexOf('graded_at');
  return rows.map((row) => row.filter((_, i) => i !== at));
}

// What of class.xml depends on the verdicts, not on when or how fast: per suite, its name and
// each test case's name and outcome.
async function junitOutcomes(path: string): Promise<string[]> {
  const xml = await text(path);
  return [...xml.matchAll(/<testsuite\b[^>]*\bname="([^"]*)"[\s\S]*?<\/testsuite>/g)].flatMap(([suite, name]) =>
    [...suite.matchAll(/<testcase\b[^>]*\bname="([^"]*)"[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g)].map(
      ([, test, body]) => `${name} / ${test}: ${/<failure\b/.test(body!) ? 'failure' : /<error\b/.test(body!) ? 'error' : 'pass'}`,
    ),
  );
}

// The class page's sections that depend only on the verdicts and points.
async function pageSections(path: string): Promise<string[]> {
  const html = await text(path);
  return ['checks', 'scores', 'not-graded', 'possible-copies'].map((id) => new RegExp(`<section id="${id}">[\\s\\S]*?</section>`).exec(html)?.[0] ?? `(no ${id})`);
}

describe('a class of reference labs graded in shards', () => {
  const single = () => join(dir, 'single');

  it('graded in one run, flags no possible copy', async () => {
    const run = await grade(single());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const gradebook = (await text(join(single(), 'gradebook.csv'))).trim().split('\r\n');
    expect(gradebook).toHaveLength(4);
    expect(gradebook[0]).toMatch(/,possible_copy_of,to_review$/);
    for (const row of gradebook.slice(1)) expect(row).toMatch(/,$/);
    expect(await text(join(single(), 'class.html'))).not.toContain('possible-copies');
    const report = JSON.parse(await text(join(single(), `${labs[0]!.name}.json`))) as LabReport;
    expect(report.hosts.map((h) => h.identity?.hostKey)).toEqual([expect.stringMatching(/^ssh-ed25519 SHA256:/), expect.any(String), expect.any(String)]);
  }, 120_000);

  it('three shard processes and a merge give the same class files; a missing shard is refused', async () => {
    const shards = [1, 2, 3].map((i) => join(dir, `shard-${i}`));
    const runs = await Promise.all(shards.map((out, i) => grade(out, '--shard', `${i + 1}/3`)));
    for (const run of runs) expect(run.stderr).toBe('');
    const merged = join(dir, 'merged');
    const merge = await runCli(['merge', ...shards, '--inventory', inventory, '--out', merged], env, dir);
    expect(merge.stderr).toBe('');
    expect(merge.stdout).toMatch(/^3 labs merged from 3 directories: 0 passed every check, 0 could not be graded$/m);
    expect(await gradebookAsGraded(join(merged, 'gradebook.csv'))).toEqual(await gradebookAsGraded(join(single(), 'gradebook.csv')));
    expect(await junitOutcomes(join(merged, 'class.xml'))).toEqual(await junitOutcomes(join(single(), 'class.xml')));
    expect(await pageSections(join(merged, 'class.html'))).toEqual(await pageSections(join(single(), 'class.html')));

    const refused = await runCli(['merge', shards[0]!, shards[2]!, '--inventory', inventory, '--out', join(dir, 'partial')], env, dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^router-lab-grader: lab '${labs[1]!.name}' of the inventory has no report in `))]);
    const allowed = await runCli(['merge', shards[0]!, shards[2]!, '--inventory', inventory, '--out', join(dir, 'partial'), '--allow-missing'], env, dir);
    expect(allowed.stderr).toContain(`merging without 1 labs that have no report: ${labs[1]!.name}`);
    expect((await text(join(dir, 'partial', 'gradebook.csv'))).trim().split('\r\n')).toHaveLength(3);
  }, 180_000);

  it('the GitLab pipeline example runs under gitlab-ci-local and its merged gradebook is the single run\'s', async () => {
    const project = join(dir, 'project');
    execFileSync('rsync', ['-a', '--exclude=/node_modules', '--exclude=/.git', '--exclude=/.lab', '--exclude=/dist', '--exclude=/.cache', '--exclude=/reports', `${REPO}`, `${project}/`]);
    await symlink(join(REPO, 'node_modules'), join(project, 'node_modules'));
    await cp(join(REPO, 'examples', 'gitlab-ci.yml'), join(project, '.gitlab-ci.yml'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: project, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'class');
    const run = await runCommand(
      [join(REPO, 'node_modules', '.bin', 'gitlab-ci-local'), '--force-shell-executor', '--shell-isolation', '--artifacts-to-source', '--variable', `LABS=${inventory}`, '--variable', `CHECKS=${checks}`],
      { ...env, HOME: dir },
      project,
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/grade: \[1\/3\]|grade \[1\/3\]/);
    expect((await readdir(join(project, 'reports'))).sort()).toEqual(['shard-1', 'shard-2', 'shard-3']);
    expect(await gradebookAsGraded(join(project, 'class', 'gradebook.csv'))).toEqual(await gradebookAsGraded(join(single(), 'gradebook.csv')));
    expect(await junitOutcomes(join(project, 'class', 'class.xml'))).toEqual(await junitOutcomes(join(single(), 'class.xml')));
  }, 300_000);

  it('flags two labs whose VM1 shares a host key as possible copies, scores unchanged', async () => {
    const [a, , c] = labs;
    for (const suffix of ['', '.pub']) await cp(`${a!.plan.sshd.vm1.hostKeyPath}${suffix}`, `${c!.plan.sshd.vm1.hostKeyPath}${suffix}`);
    const out = join(dir, 'copies');
    const run = await grade(out, '--only', 'ip-forward');
    expect(run.stderr).toBe('');
    const rows = (await text(join(out, 'gradebook.csv'))).trim().split('\r\n').slice(1);
    const cell = (lab: string) => rows.find((r) => r.includes(`,${lab},`))!;
    // possible_copy_of, then to_review (empty: nothing to review on these labs).
    expect(cell(a!.name)).toMatch(new RegExp(`,${c!.name} \\(vm1 host key ssh-ed25519 SHA256:[^)]+\\),$`));
    expect(cell(c!.name)).toMatch(new RegExp(`,${a!.name} \\(vm1 host key ssh-ed25519 SHA256:[^)]+\\),$`));
    expect(cell(labs[1]!.name)).toMatch(/,,$/);
    expect(cell(a!.name)).toMatch(/,2,2,/);
    expect(await text(join(out, 'class.html'))).toContain('<h2>Possible copies (2 labs)</h2>');
  }, 120_000);

  it('with every lab gone, rescore under a lower iperf floor turns the slow link into a pass', async () => {
    await Promise.all(labs.map((lab) => lab.down()));
    labsDown = true;
    const lower = parse(await text(checks)) as { checks: Array<{ kind: string; params?: Record<string, unknown> }> };
    for (const check of lower.checks) if (check.kind === 'iperf') check.params = { ...check.params, floorMbps: 5 };
    const newChecks = join(dir, 'lower-floor.yaml');
    await writeFile(newChecks, stringify(lower));
    const before = await text(join(single(), `${labs[1]!.name}.json`));
    const run = await runCli(['rescore', single(), '--checks', newChecks], env, dir);
    expect(run.stderr).toBe('');
    // As grade and merge on these reports: a namespace lab never passes the VirtIO check.
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${labs[1]!.name} +10/15 -> 12/15\\n    iperf vm1: fail -> pass \\([\\d.]+ Mbit/s to [\\d.]+ \\(floor 5 Mbit/s\\)\\)$`, 'm'));
    for (const lab of [labs[0]!, labs[2]!]) expect(run.stdout).toMatch(new RegExp(`^${lab.name} +(\\d+)/15 -> \\1/15  \\(unchanged\\)$`, 'm'));
    const into = /re-scored into ([^\s:]+)/.exec(run.stdout)?.[1];
    expect(into).toMatch(/\/rescored-[0-9a-f]{8}$/);
    const rescored = JSON.parse(await text(join(into!, `${labs[1]!.name}.json`))) as LabReport;
    expect(rescored.results.find((r) => r.id === 'iperf')).toMatchObject({ status: 'pass' });
    expect(await text(join(single(), `${labs[1]!.name}.json`))).toBe(before);
    expect(await text(join(into!, 'gradebook.csv'))).toContain(`,${labs[1]!.name},12,15,`);
  }, 60_000);
});
