// docs/reference/report-json.md: every field of a lab's JSON report, from its JSON Schema
// (grader/report/report.schema.json, which `npm run schema` writes from the code).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPORT_SCHEMA_PATH } from '../../grader/report/report-schema.ts';
import { code, generatedFrom, table } from './markdown.ts';
import { REPO } from './repo.ts';

type Schema = Record<string, unknown>;

export interface Field {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

// `#/definitions/x` or `#/$defs/x` of the root schema.
function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  const target = ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], root);
  return { ...(target as Schema), ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref')) };
}

function typeOf(s: Schema, root: Schema): string {
  if ('const' in s) return `${code(JSON.stringify(s.const))} (always)`;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => code(JSON.stringify(v))).join(', ')}`;
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives) return alternatives.map((a) => typeOf(resolve(a, root), root)).join(' or ');
  const type = Array.isArray(s.type) ? s.type.join(' or ') : typeof s.type === 'string' ? s.type : 'any';
  if (type === 'array') return `array of ${s.items ? typeOf(resolve(s.items as Schema, root), root) : 'any'}`;
  return type;
}

// Bounds in words, for fields without a description of their own.
function bounds(s: Schema): string {
  const parts: string[] = [];
  if (typeof s.pattern === 'string') parts.push(`matches ${code(s.pattern)}`);
  if (s.minLength !== undefined) parts.push(`at least ${String(s.minLength)} characters`);
  if (s.maxLength !== undefined) parts.push(`at most ${String(s.maxLength)} characters`);
  if (s.minimum !== undefined && s.maximum !== undefined) parts.push(`${String(s.minimum)} to ${String(s.maximum)}`);
  if (s.maxItems !== undefined) parts.push(`at most ${String(s.maxItems)} items`);
  return parts.join('; ');
}

/** Every field, depth first, in the schema's order; arrays' items as `name[]`. */
export function fieldsOf(root: Schema): Field[] {
  const fields: Field[] = [];
  const walk = (node: Schema, prefix: string) => {
    const s = resolve(node, root);
    const required = new Set((s.required ?? []) as string[]);
    for (const [name, raw] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
      const child = resolve(raw, root);
      const path = `${prefix}${name}`;
      const description = [child.description, bounds(child)].filter((t) => typeof t === 'string' && t !== '').join('. ');
      fields.push({ path, type: typeOf(child, root), required: required.has(name), description });
      walk(child, `${path}.`);
      let items = child.items as Schema | undefined;
      let arrayPath = `${path}[]`;
      while (items) {
        const item = resolve(items, root);
        walk(item, `${arrayPath}.`);
        items = item.type === 'array' ? (item.items as Schema | undefined) : undefined;
        arrayPath = `${arrayPath}[]`;
      }
    }
  };
  walk(root, '');
  return fields;
}

export function readReportSchema(): Schema {
  return JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as Schema;
}

export function renderReportReference(schema: Schema = readReportSchema()): string {
  const source = relative(REPO, REPORT_SCHEMA_PATH);
  const open = schema.additionalProperties === false ? '' : ' Other fields may appear: a report a later version writes still validates.';
  return [
    generatedFrom([source]),
    '',
    '# The JSON report',
    '',
    `${String(schema.title ?? 'The report')}: \`DIR/NAME.json\`, validated against [its JSON Schema](../../${source}) (what \`--resume\`, \`merge\` and \`rescore\` check a kept report with).${open} What the fields mean and the ones the schema leaves open (diagnoses, identity, measurements): [reports](../reports.md).`,
    '',
    table(
      ['field', 'type', 'required', 'bounds and meaning'],
      fieldsOf(schema).map((f) => [code(f.path), f.type, f.required ? 'yes' : '', f.description]),
    ),
    '',
  ].join('\n');
}
