import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { SCHEMA_FILES } from './schema-files.ts';
import { VALIDATOR_OPTIONS } from './schema-validator.ts';

describe('the schema files kept for editors', () => {
  it.each(SCHEMA_FILES.map((f) => [f.path, f.schema] as const))('%s is what the code builds (run `npm run schema`)', (path, schema) => {
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(schema);
  });
});

describe('the schemas the grader validates with', () => {
  it.each(SCHEMA_FILES.map((f) => [f.path, f.schema] as const))('%s is a valid JSON Schema (the grader does not re-check it at start)', (_path, schema) => {
    const ajv = new Ajv({ ...VALIDATOR_OPTIONS.document, validateSchema: true });
    expect(ajv.validateSchema(schema), ajv.errorsText()).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('a schema that is not one is caught by that check', () => {
    const ajv = new Ajv({ ...VALIDATOR_OPTIONS.document, validateSchema: true });
    expect(ajv.validateSchema({ type: 'objekt' })).toBe(false);
  });
});
