import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError } from './config-error.ts';
import type { LoadedDocument } from './load-document.ts';

// The schemas are the grader's own, checked against the JSON Schema meta-schema by
// schema-files.test.ts: not again at every start (that check costs as much as compiling them).
// strictNumbers: YAML writes .inf and .nan, which `type: number` would otherwise accept.
export const AJV_OPTIONS = { allErrors: true, useDefaults: true, discriminator: true, strict: false, strictNumbers: true } as const;
const ajv = new Ajv({ ...AJV_OPTIONS, validateSchema: false });
const compiled = new WeakMap<object, ValidateFunction>();

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property '${String(p.additionalProperty)}'`;
    case 'required':
      return `missing required property '${String(p.missingProperty)}'`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'discriminator':
      return p.tag ? `'${String(p.tag)}' must be a known kind` : (error.message ?? 'invalid');
    default:
      return error.message ?? 'invalid';
  }
}

// Validates a loaded file against a schema (filling in its defaults) and returns the data; else
// a ConfigError listing every problem with its place in the file.
export function validateDocument<T>(schema: Record<string, unknown>, doc: LoadedDocument): T {
  const validate = compiled.get(schema) ?? ajv.compile(schema);
  compiled.set(schema, validate);
  if (validate(doc.data)) return doc.data as T;
  const problems = (validate.errors ?? []).map((e) => {
    const pointer = e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(e.params.additionalProperty)}` : e.instancePath;
    return `${doc.locate(pointer)}: ${pointer || '/'}: ${describe(e)}`;
  });
  throw new ConfigError([...new Set(problems)]);
}
