import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES } from './schema-files.ts';

describe('the schema files kept for editors', () => {
  it.each(SCHEMA_FILES.map((f) => [f.path, f.schema] as const))('%s is what the code builds (run `npm run schema`)', (path, schema) => {
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(schema);
  });
});
