// Writes the JSON Schemas that editors use to complete check files and inventories, and the
// schema of the JSON report (grader/report/report.schema.json) that --resume validates with.
// `npm run schema` after changing a kind's parameters; a test fails while they are stale.
import { writeFile } from 'node:fs/promises';
import { SCHEMA_FILES } from '../grader/config/schema-files.ts';
import { REPORT_SCHEMA_PATH, reportSchema } from '../grader/report/report-schema.ts';

for (const { path, schema } of [...SCHEMA_FILES, { path: REPORT_SCHEMA_PATH, schema: reportSchema }]) {
  await writeFile(path, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
