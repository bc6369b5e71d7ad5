// The grader's CLI precompiled into one JavaScript file (esbuild, which tsx ships with), to measure
// what loading the TypeScript sources through tsx costs at every start. Written under bench/ so
// that its bare imports (ssh2, yaml...) resolve from the checkout's node_modules; removed after.
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO } from './contenders.ts';

export async function bundleCli(): Promise<{ dir: string; entry: string }> {
  const dir = await mkdtemp(join(REPO, 'bench', '.bundle-'));
  const entry = join(dir, 'grader', 'cli.mjs');
  await build({
    entryPoints: [join(REPO, 'grader', 'cli.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return { dir, entry };
}
