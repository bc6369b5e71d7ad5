import { createHash } from 'node:crypto';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { PRECOMPILED } from './precompiled-validators.ts';

// How a schema is validated with: 'document' for the files users write (check files,
// inventories: every problem, defaults filled in, each error with its schema so that an unknown
// property can be matched to a known one), 'report' for the JSON reports the grader wrote itself
// (the first problem is enough). The schemas are the grader's own, checked against the JSON Schema
// meta-schema by schema-files.test.ts: not again at every start (that costs as much as compiling).
// strictNumbers: YAML writes .inf and .nan, which `type: number` would otherwise accept.
export const VALIDATOR_OPTIONS = {
  document: { allErrors: true, useDefaults: true, discriminator: true, strict: false, strictNumbers: true, validateSchema: false, verbose: true },
  report: { allErrors: false, strict: false, strictNumbers: true },
} as const satisfies Record<string, Options>;

export type ValidatorFlavor = keyof typeof VALIDATOR_OPTIONS;

// A schema's key among the precompiled validators: its flavor and a digest of its content, so that
// a bundle can only ever use a validator compiled from exactly this schema.
export function schemaKey(schema: object, flavor: ValidatorFlavor): string {
  return `${flavor}:${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 32)}`;
}

const compiled = new Map<ValidatorFlavor, WeakMap<object, ValidateFunction>>();
const instances = new Map<ValidatorFlavor, Ajv>();

// The validator of `schema`: the bundle's precompiled one, else compiled now (once per schema).
export function schemaValidator(schema: object, flavor: ValidatorFlavor): ValidateFunction {
  let bySchema = compiled.get(flavor);
  if (!bySchema) compiled.set(flavor, (bySchema = new WeakMap()));
  let validate = bySchema.get(schema);
  if (!validate) {
    validate = PRECOMPILED[schemaKey(schema, flavor)] ?? ajvFor(flavor).compile(schema);
    bySchema.set(schema, validate);
  }
  return validate;
}

function ajvFor(flavor: ValidatorFlavor): Ajv {
  let ajv = instances.get(flavor);
  if (!ajv) instances.set(flavor, (ajv = new Ajv(VALIDATOR_OPTIONS[flavor])));
  return ajv;
}
