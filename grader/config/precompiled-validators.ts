import type { ValidateFunction } from 'ajv';

// Validators ajv compiled when the CLI was bundled, by schema key (see schema-validator.ts).
// Empty here: the TypeScript sources (tsx, the tests) compile each schema when first used. In
// dist/grader-cli.mjs, scripts/build-cli.mjs puts in this module's place the standalone code ajv
// generates from the same schemas and options (scripts/precompiled-validators.ts), which spares
// every start compiling them (about 0.1 s here).
export const PRECOMPILED: Readonly<Record<string, ValidateFunction>> = {};
