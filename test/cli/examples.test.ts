// The examples of grading a class on CI engines are a contract: their command lines must be ones
// the grader accepts, with the shard count the engine uses. The GitLab pipeline also runs, under
// gitlab-ci-local (test/e2e/class-shards.test.ts); no Kubernetes cluster runs here, so the
// manifests are parsed and their commands checked, not run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCliArgs } from '../../grader/cli/args.ts';
import { parseMergeArgs } from '../../grader/cli/merge-command.ts';
import { resolveShard } from '../../grader/class/engine-shard.ts';
import { REPO } from '../support/run-cli.ts';

const EXAMPLES = join(REPO, 'examples');
const read = (path: string) => parse(readFileSync(join(EXAMPLES, path), 'utf8')) as Record<string, any>;

// A `sh -c` line of the examples as the shell would pass it to the grader: variables expanded,
// quotes removed, the `|| [ $? -eq 1 ]` that makes exit 1 (a failed check) a success dropped.
function argv(line: string, vars: Record<string, string>): string[] {
  const command = line.replace(/\s*\|\|\s*\[ \$\? -eq 1 \]\s*$/, '').replace(/\$\{ROSTER:\+[^}]*\}/, '');
  const expanded = command.replace(/\$\{?(\w+)\}?/g, (_, name: string) => vars[name] ?? `$${name}`);
  return [...expanded.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

// What follows the grader's own launcher (`npm run grade --` or `node .../bin/grade.mjs`).
function graderArgs(words: string[]): string[] {
  const at = words.indexOf('--') >= 0 && words[0] === 'npm' ? words.indexOf('--') + 1 : words.findIndex((w) => w.endsWith('bin/grade.mjs')) + 1;
  expect(at).toBeGreaterThan(0);
  return words.slice(at);
}

describe('examples/gitlab-ci.yml', () => {
  const pipeline = read('gitlab-ci.yml');
  const total = pipeline.grade.parallel as number;

  it('grades in parallel jobs that each take their shard from GitLab, resume, and keep their reports', () => {
    expect(total).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (let index = 1; index <= total; index++) {
      const vars = { CI_NODE_INDEX: String(index), CI_NODE_TOTAL: String(total), LABS: 'labs.yaml', CHECKS: 'checks/exercise.yaml' };
      const args = parseCliArgs(graderArgs(argv(pipeline.grade.script[0], vars)));
      expect(args).toMatchObject({ all: true, resume: true, shard: 'auto' });
      expect(resolveShard(args.shard!, vars)).toEqual({ index, total });
      expect(pipeline.grade.artifacts.paths.map((p: string) => p.replace('$CI_NODE_INDEX', String(index)))).toContain(`${args.out}/`);
      seen.add(args.out);
    }
    expect(seen.size).toBe(total);
    expect(pipeline.grade.cache.paths[0]).toBe(pipeline.grade.artifacts.paths[0]);
  });

  it('merges every shard in a later stage', () => {
    expect(pipeline.stages.indexOf(pipeline.merge.stage)).toBeGreaterThan(pipeline.stages.indexOf(pipeline.grade.stage));
    const words = graderArgs(argv(pipeline.merge.script[0], { LABS: 'labs.yaml' }));
    expect(words[0]).toBe('merge');
    const merge = parseMergeArgs(words.slice(1));
    expect(merge.dirs).toEqual(['reports/shard-*']);
    expect(pipeline.merge.artifacts.reports.junit).toBe(`${merge.out}/class.xml`);
  });
});

describe('examples/kubernetes', () => {
  const grade = read('kubernetes/grade-job.yaml');
  const merge = read('kubernetes/merge-job.yaml');
  const container = grade.spec.template.spec.containers[0];
  const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  const completions = grade.spec.completions as number;

  it('is an Indexed Job whose pods each grade their shard, retried per index, resuming', () => {
    expect(grade.kind).toBe('Job');
    expect(grade.spec).toMatchObject({ completionMode: 'Indexed', parallelism: completions, backoffLimitPerIndex: expect.any(Number) });
    expect(Number(env.GRADER_SHARD_TOTAL)).toBe(completions);
    const outs = new Set<string>();
    for (let index = 0; index < completions; index++) {
      const vars = { ...env, JOB_COMPLETION_INDEX: String(index) };
      const args = parseCliArgs(graderArgs(argv(container.args[0], vars)));
      expect(args).toMatchObject({ all: true, resume: true });
      expect(resolveShard(args.shard!, vars)).toEqual({ index: index + 1, total: completions });
      expect(args.out.startsWith(container.volumeMounts.find((m: { name: string }) => m.name === 'reports').mountPath)).toBe(true);
      outs.add(args.out);
    }
    expect(outs.size).toBe(completions);
  });

  it('merges exactly the directories the shards write, from the same shared volume', () => {
    const words = graderArgs(argv(merge.spec.template.spec.containers[0].args[0], {}));
    expect(words[0]).toBe('merge');
    const dirs = parseMergeArgs(words.slice(1)).dirs;
    const outs = Array.from({ length: completions }, (_, index) => parseCliArgs(graderArgs(argv(container.args[0], { ...env, JOB_COMPLETION_INDEX: String(index) }))).out);
    expect(dirs).toEqual(outs);
    expect(merge.spec.template.spec.volumes).toEqual(grade.spec.template.spec.volumes.filter((v: { name: string }) => v.name !== 'grader-secrets'));
  });

  it("the Dockerfile copies what exists in the repository, and the manifests run its launcher", () => {
    const dockerfile = readFileSync(join(EXAMPLES, 'kubernetes', 'Dockerfile'), 'utf8');
    for (const [, sources] of dockerfile.matchAll(/^COPY (.+) \S+$/gm)) for (const source of sources!.split(' ')) expect(existsSync(join(REPO, source)), source).toBe(true);
    expect(container.args[0]).toContain('/grader/bin/grade.mjs');
    expect(dockerfile).toMatch(/^WORKDIR \/grader$/m);
  });
});
