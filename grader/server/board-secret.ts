import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CourseStore } from '../store/course-store.ts';

// The board link's secret, the same from one start of `serve` to the next: the course record
// keeps only its hash, so the server keeps it in clear in its own state folder (0600, beside its
// SSH host key), and uses it again while the record still accepts it. A new one is made when asked
// (`serve --rotate-board-secret`: the old link stops working), when the file is gone, or when the
// record no longer accepts it (another server rotated it).
export async function boardSecret(store: CourseStore, file: string, rotate: boolean): Promise<string> {
  if (!rotate && existsSync(file)) {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept && (await store.checkBoardSecret(kept))) return kept;
  }
  const secret = await store.newBoardSecret();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
