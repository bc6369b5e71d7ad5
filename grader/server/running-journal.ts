import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A grading the server has started and not yet recorded. */
export interface RunningGrading {
  lab: string;
  studentId: string;
  startedAt: string;
  sourceAddress: string;
}

// The gradings in flight, one small file each in the server's state folder: written when a
// grading starts, removed once its attempt is recorded. What a restart finds there was cut short
// (a crash, a kill -9, a power cut) and is recorded as interrupted. The course record itself is
// append-only and holds finished attempts only, so this journal lives beside it.
export class RunningJournal {
  constructor(readonly dir: string) {}

  async begin(grading: RunningGrading): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const id = randomUUID();
    await writeFile(join(this.dir, `${id}.json`), JSON.stringify(grading), { mode: 0o600 });
    return id;
  }

  async end(id: string): Promise<void> {
    await rm(join(this.dir, `${id}.json`), { force: true });
  }

  /** The gradings left by a previous run, with their ids. */
  async leftOver(): Promise<Array<{ id: string; grading: RunningGrading }>> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const found: Array<{ id: string; grading: RunningGrading }> = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        found.push({ id: name.slice(0, -5), grading: JSON.parse(await readFile(join(this.dir, name), 'utf8')) as RunningGrading });
      } catch {
        // A file cut short as it was written: its grading never began on any VM.
        await rm(join(this.dir, name), { force: true });
      }
    }
    return found;
  }
}
