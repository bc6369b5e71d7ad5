import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOARD_CSS } from './board-style.ts';

// The two files every page loads: the style sheet (a module) and the client script, built by
// scripts/build-web.mjs into dist/web/board.js (npm ci and npm run build make it).
const BUNDLE = join('dist', 'web', 'board.js');

// dist/ of the repository, from the sources (grader/web/) or from the CLI's bundle (dist/).
function candidates(): string[] {
  const found: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    found.push(join(dir, BUNDLE));
    dir = dirname(dir);
  }
  return found;
}

export class MissingClientScript extends Error {}

let script: Promise<string> | undefined;

/** The client script; rejects with one line when it was never built. */
export function clientScript(): Promise<string> {
  script ??= (async () => {
    for (const file of candidates()) {
      try {
        return await readFile(file, 'utf8');
      } catch {
        // the next candidate
      }
    }
    script = undefined;
    throw new MissingClientScript(`${BUNDLE} is missing: run npm run build`);
  })();
  return script;
}

export const stylesheet = (): string => BOARD_CSS;
