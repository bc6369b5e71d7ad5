import type { JsonSchema } from './check-kind.ts';
import { CHECK_KINDS } from './registry.ts';

export const CHECK_FILE_SCHEMA_ID = 'https://router-lab-grader.invalid/check-file.schema.json';

function checkSchema(kind: (typeof CHECK_KINDS)[number]): JsonSchema {
  const scope = kind.scope === 'lab' ? 'one result for the whole lab' : 'one result per host';
  return {
    type: 'object',
    description: `${kind.summary} (${scope})`,
    required: ['id', 'kind', 'title', 'hint', 'points'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Stable id: LMS columns and scripts key on it' },
      kind: { const: kind.kind },
      title: { type: 'string', minLength: 1, description: 'What is checked, in one line' },
      hint: { type: 'string', minLength: 1, description: "The fix, in the exercise's words, shown to the student on failure" },
      points: { type: 'number', minimum: 0, maximum: 1000, description: kind.scope === 'lab' ? 'Points for the lab' : 'Points for each host' },
      hosts: {
        type: 'array',
        items: { enum: [...kind.allowedHosts] },
        minItems: 1,
        uniqueItems: true,
        default: [...kind.defaultHosts],
        description: kind.scope === 'lab' ? 'The VMs it concerns (informative; one result for the lab)' : 'The VMs it runs on: one result each',
      },
      params: { ...kind.paramsSchema, default: {} },
    },
  };
}

// The JSON Schema of a check file, built from the kinds so that it cannot drift from the code.
// `npm run schema` writes it to checks/check-file.schema.json for editors.
export function checkFileSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: CHECK_FILE_SCHEMA_ID,
    title: 'router-lab-grader check file',
    type: 'object',
    required: ['checks'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      checks: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['kind'],
          properties: { kind: { enum: CHECK_KINDS.map((k) => k.kind) } },
          discriminator: { propertyName: 'kind' },
          oneOf: CHECK_KINDS.map(checkSchema),
        },
      },
    },
  };
}
