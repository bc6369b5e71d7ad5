// `npm run grade` runs bin/grade.mjs: the CLI precompiled into dist/grader-cli.mjs, rebuilt when
// the sources change, the TypeScript through tsx when it cannot be built. It must answer exactly as
// the TypeScript sources do.
import { cp, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFileSchema } from '../../grader/checks/check-file-schema.ts';
import { inventorySchema } from '../../grader/config/inventory-schema.ts';
import { schemaKey } from '../../grader/config/schema-validator.ts';
import { reportSchema } from '../../grader/report/report-schema.ts';
import { REPO, runCli, runCommand, type CliRun } from '../support/run-cli.ts';

function runLauncher(args: string[], root = REPO): Promise<CliRun> {
  return runCommand([process.execPath, join(root, 'bin', 'grade.mjs'), ...args]);
}

describe('the launcher (bin/grade.mjs)', () => {
  // The bundle validates with the validators ajv compiled at build time, the sources with those it
  // compiles at start: broken check files and inventories must be told apart the same way.
  const cases = [
    ['--help'],
    ['--list'],
    ['--list', '--only', 'ping,pong'],
    ['--hots', 'lab42'],
    ['--list', '--checks', 'fixtures/check-files/bad-params.yaml'],
    ['--list', '--checks', 'fixtures/check-files/unknown-kind.yaml'],
    ['--list', '--checks', 'fixtures/check-files/unbounded-numbers.yaml'],
    ['--host', 'lab42', '--inventory', 'fixtures/inventories/misspelt.yaml'],
  ];
  it.each(cases.map((args) => [args.join(' '), args] as const))('answers `%s` as the TypeScript sources do', async (_, args) => {
    const [launched, fromSources] = await Promise.all([runLauncher([...args]), runCli([...args])]);
    expect(launched).toEqual(fromSources);
  });

  // In a copy of the sources beside the repository's node_modules, so that touching a file or
  // breaking the build disturbs neither the checkout nor a grader running from it.
  describe('in a copy of the repository', () => {
    let root: string;
    const bundle = () => join(root, 'dist', 'grader-cli.mjs');

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'rlg-launcher-'));
      for (const path of ['bin', 'scripts/build-cli.mjs', 'scripts/precompiled-validators.ts', 'grader', 'checks', 'package.json', 'package-lock.json', 'tsconfig.json']) {
        await cp(join(REPO, path), join(root, path), { recursive: true });
      }
      await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'));
    });
    afterAll(async () => {
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('builds the missing bundle, keeps it while the sources stay, rebuilds it when one is touched', async () => {
      const first = await runLauncher(['--list'], root);
      expect(first.code).toBe(0);
      expect(first.stderr).toBe('');
      const built = (await stat(bundle())).mtimeMs;
      const text = await readFile(bundle(), 'utf8');
      for (const key of [schemaKey(checkFileSchema(), 'document'), schemaKey(inventorySchema, 'document'), schemaKey(reportSchema, 'report')]) {
        expect(text).toContain(JSON.stringify(key)); // compiled at build time, not at every start
      }

      expect(await runLauncher(['--list'], root)).toEqual(first);
      expect((await stat(bundle())).mtimeMs).toBe(built);

      const later = new Date(Date.now() + 1000);
      await utimes(join(root, 'grader', 'cli', 'args.ts'), later, later);
      expect(await runLauncher(['--list'], root)).toEqual(first);
      expect((await stat(bundle())).mtimeMs).toBeGreaterThan(built);
    });

    it('runs the TypeScript through tsx after a one-line note when the bundle cannot be built', async () => {
      await rm(join(root, 'dist'), { recursive: true, force: true });
      await writeFile(join(root, 'dist'), 'not a directory\n');
      const [launched, fromSources] = await Promise.all([runLauncher(['--list'], root), runCli(['--list'])]);
      expect(launched.code).toBe(0);
      expect(launched.stdout).toBe(fromSources.stdout);
      expect(launched.stderr).toMatch(/^router-lab-grader: could not build dist\/grader-cli\.mjs \(.+\); running the TypeScript sources through tsx\n$/);
    });
  });
});
