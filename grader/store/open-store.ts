import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CourseStore } from './course-store.ts';
import { sqlCourseStore } from './sql-course-store.ts';
import { StoreError } from './store-error.ts';
import { isPostgresUrl } from './store-url.ts';

/** The embedded store's file in an --out folder. */
export const STORE_FILE = 'grades.sqlite';

export { isPostgresUrl } from './store-url.ts';

/**
 * Opens the course record: `postgres://...` (or `postgresql://`) a PostgreSQL database, anything
 * else a folder whose `grades.sqlite` is the record (the folder is made when missing). Runs the
 * schema's migrations. Throws StoreError with one line when it cannot be opened.
 */
export async function openStore(where: string): Promise<CourseStore> {
  if (isPostgresUrl(where)) {
    const { openPostgres } = await import('./postgres-driver.ts');
    return sqlCourseStore(await openPostgres(where));
  }
  const file = path.join(where, STORE_FILE);
  try {
    await mkdir(where, { recursive: true });
  } catch (error) {
    throw new StoreError(file, `the folder cannot be made (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const { openSqlite } = await import('./sqlite-driver.ts');
  const driver = openSqlite(file);
  try {
    return await sqlCourseStore(driver);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw driver.explain(error);
  }
}
