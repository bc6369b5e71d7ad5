// Writes the JSON Schemas that editors use to complete check files and inventories.
// `npm run schema` after changing a kind's parameters; a test fails while they are stale.
import { writeFile } from 'node:fs/promises';
import { SCHEMA_FILES } from '../grader/config/schema-files.ts';

for (const { path, schema } of SCHEMA_FILES) {
  await writeFile(path, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
