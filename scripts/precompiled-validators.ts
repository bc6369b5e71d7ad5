// The module scripts/build-cli.mjs bundles in place of grader/config/precompiled-validators.ts:
// ajv's standalone code for every schema the CLI validates with, keyed as schema-validator.ts
// looks them up. Bundled and run by the build itself (esbuild, then import), never at grading time.
import { Ajv } from 'ajv';
import * as standalone from 'ajv/dist/standalone/index.js';
import { checkFileSchema } from '../grader/checks/check-file-schema.ts';
import { inventorySchema } from '../grader/config/inventory-schema.ts';
import { schemaKey, VALIDATOR_OPTIONS, type ValidatorFlavor } from '../grader/config/schema-validator.ts';
import { reportSchema } from '../grader/report/report-schema.ts';

const SCHEMAS: Array<{ schema: object; flavor: ValidatorFlavor }> = [
  { schema: checkFileSchema(), flavor: 'document' },
  { schema: inventorySchema, flavor: 'document' },
  { schema: reportSchema, flavor: 'report' },
];

export function precompiledValidatorsSource(): string {
  // A CommonJS module: its function is `default` under tsx and esbuild alike.
  const generate = standalone.default as unknown as (ajv: Ajv, validate: ReturnType<Ajv['compile']>) => string;
  const lines = ['// Generated at build time by scripts/precompiled-validators.ts (ajv standalone code).'];
  const entries: string[] = [];
  SCHEMAS.forEach(({ schema, flavor }, i) => {
    const ajv = new Ajv({ ...VALIDATOR_OPTIONS[flavor], code: { source: true } });
    // CommonJS as ajv writes it, each in a scope of its own; its require()s of ajv's small runtime
    // helpers are bundled by esbuild.
    lines.push(`const validator${i} = (() => { const module = { exports: {} }; ${generate(ajv, ajv.compile(schema))}; return module.exports; })();`);
    entries.push(`  ${JSON.stringify(schemaKey(schema, flavor))}: validator${i},`);
  });
  return [...lines, 'export const PRECOMPILED = {', ...entries, '};', ''].join('\n');
}
