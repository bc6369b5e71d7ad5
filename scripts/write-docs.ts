// `npm run docs`: writes the reference pages built from the code (docs/reference/): the CLI's
// usage texts, the check kinds, the JSON report's schema, the exit codes. A unit test
// (scripts/docs/reference-pages.test.ts) fails while one of them is stale.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderAll } from './docs/reference-pages.ts';
import { REPO } from './docs/repo.ts';

for (const [path, content] of await renderAll()) {
  await mkdir(dirname(join(REPO, path)), { recursive: true });
  await writeFile(join(REPO, path), content);
  console.log(`wrote ${path}`);
}
