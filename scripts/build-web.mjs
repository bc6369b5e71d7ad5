// `npm run build` (and `npm ci`, through `prepare`): the board's small client script
// (grader/web/client/board-client.ts) bundled by esbuild into dist/web/board.js, which the course
// server serves at /assets/board.js (grader/web/web-assets.ts). Plain TypeScript modules, no
// framework: the script only swaps server-rendered, already escaped HTML into the page when an
// attempt is announced (server-sent events), so a framework would add weight and no safety.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const CLIENT_ENTRY = join(REPO, 'grader', 'web', 'client', 'board-client.ts');
export const CLIENT_BUNDLE = join(REPO, 'dist', 'web', 'board.js');

export async function buildWebClient() {
  const { build } = await import('esbuild');
  mkdirSync(join(REPO, 'dist', 'web'), { recursive: true });
  // Firefox ESR and Chromium of the last two years; one IIFE, no import at run time.
  await build({ entryPoints: [CLIENT_ENTRY], outfile: CLIENT_BUNDLE, bundle: true, format: 'iife', target: ['chrome110', 'firefox115'], minify: true, sourcemap: false, logLevel: 'error' });
  return CLIENT_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWebClient().catch((error) => {
    console.error(`could not build ${CLIENT_BUNDLE}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
