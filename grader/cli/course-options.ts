// What serve and tokens share: where the course record is (--out DIR or --store URL, else
// GRADER_STORE), opened once, with a one-line error when it cannot be.
import { ConfigError } from '../config/config-error.ts';
import type { CourseStore } from '../store/course-store.ts';
import { openStore } from '../store/open-store.ts';
import { StoreError } from '../store/store-error.ts';
import { optionsOf } from './option-table.ts';

export const STORE_OPTIONS = optionsOf(['out', 'store']);

export function storeLocation(command: string, values: { out?: string | undefined; store?: string | undefined }): string {
  if (values.out && values.store) throw new ConfigError([`${command}: give --out DIR or --store URL, not both`]);
  const where = values.store ?? values.out ?? process.env.GRADER_STORE;
  if (!where) throw new ConfigError([`${command}: where is the course record? give --out DIR or --store postgres://... (or set GRADER_STORE)`]);
  return where;
}

export async function openCourseStore(where: string): Promise<CourseStore> {
  try {
    return await openStore(where);
  } catch (error) {
    if (error instanceof StoreError) throw new ConfigError([error.message]);
    throw error;
  }
}
