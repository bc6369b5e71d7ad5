// docs/reference/report-json.md: every field of a lab's JSON report: its path, type and meaning from
// the report's TypeScript type (LabReport and the `/** ... */` comments of its fields), its bounds
// and whether --resume checks it from the JSON Schema (grader/report/report.schema.json).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPORT_SCHEMA_PATH } from '../../grader/report/report-schema.ts';
import { code, generatedFrom, table } from './markdown.ts';
import { REPO } from './repo.ts';
import { fieldsOfInterface, type TypeField } from './type-fields.ts';

/** The type `renderJson` (grader/report/json.ts) writes, field for field, below `schemaVersion` and `generator`. */
export const REPORT_TYPE = { file: 'grader/core/lab-report.ts', name: 'LabReport' };

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
  if (s.minLength !== undefined && s.maxLength !== undefined) parts.push(`${String(s.minLength)} to ${String(s.maxLength)} characters`);
  else if (s.maxLength !== undefined) parts.push(`at most ${String(s.maxLength)} characters`);
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

export interface ReportRow {
  path: string;
  type: string;
  required: boolean;
  meaning: string;
  /** Whether the JSON Schema (and so --resume, merge and rescore) checks it. */
  checked: boolean;
}

/** The schema's fields it alone has (written by the JSON reporter itself) first, then the type's, in its order. */
export function reportRows(schemaFields: readonly Field[], typeFields: readonly TypeField[]): ReportRow[] {
  const inSchema = new Map(schemaFields.map((f) => [f.path, f]));
  const inType = new Set(typeFields.map((f) => f.path));
  const schemaOnly = schemaFields.filter((f) => !inType.has(f.path)).map((f) => ({ path: f.path, type: f.type, required: f.required, meaning: f.description, checked: true }));
  const typed = typeFields.map((f) => {
    const schema = inSchema.get(f.path);
    // The schema's type is the more exact (integer, enums, constants) unless it only says `object`.
    const type = schema && schema.type !== 'object' && !schema.type.includes('any') ? schema.type : f.type;
    const meaning = f.doc && schema?.description ? `${f.doc} (${schema.description})` : f.doc || (schema?.description ?? '');
    return { path: f.path, type, required: !f.optional, meaning, checked: schema !== undefined };
  });
  return [...schemaOnly, ...typed];
}

export function renderReportReference(schema: Schema = readReportSchema(), typeFields: readonly TypeField[] = fieldsOfInterface(join(REPO, REPORT_TYPE.file), REPORT_TYPE.name)): string {
  const source = relative(REPO, REPORT_SCHEMA_PATH);
  const open = schema.additionalProperties === false ? '' : ' Fields the schema does not check are still written by the grader; a report with fields a later version adds still validates.';
  return [
    generatedFrom([REPORT_TYPE.file, source]),
    '',
    '# The JSON report',
    '',
    `${String(schema.title ?? 'The report')}: \`DIR/NAME.json\`. Fields, types and meanings from the report's type (\`${REPORT_TYPE.name}\` in [${REPORT_TYPE.file}](../../${REPORT_TYPE.file})); bounds, and whether \`--resume\`, \`merge\` and \`rescore\` check a kept report's field, from [its JSON Schema](../../${source}).${open} More on what they mean: [reports](../reports.md).`,
    '',
    table(
      ['field', 'type', 'required', 'checked', 'meaning and bounds'],
      reportRows(fieldsOf(schema), typeFields).map((r) => [code(r.path), r.type, r.required ? 'yes' : '', r.checked ? '✔' : '', r.meaning]),
    ),
    '',
  ].join('\n');
}
