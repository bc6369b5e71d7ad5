import type { ErrorObject } from 'ajv';
import { ConfigError } from './config-error.ts';
import type { LoadedDocument } from './load-document.ts';
import { schemaValidator } from './schema-validator.ts';

// Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short words.
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

// The known property an unknown one most likely meant (`adress` -> `address`), if one is close.
export function closestProperty(unknown: string, known: readonly string[]): string | undefined {
  const limit = unknown.length <= 4 ? 1 : 2;
  const scored = known.map((k) => ({ k, d: distance(unknown.toLowerCase(), k.toLowerCase()) })).filter((s) => s.d <= limit);
  return scored.sort((x, y) => x.d - y.d)[0]?.k;
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const meant = closestProperty(String(p.additionalProperty), known);
      return `unknown property '${String(p.additionalProperty)}'${meant ? ` (did you mean '${meant}'?)` : ''}`;
    }
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
  const validate = schemaValidator(schema, 'document');
  if (validate(doc.data)) return doc.data as T;
  const problems = (validate.errors ?? []).map((e) => {
    const pointer = e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(e.params.additionalProperty)}` : e.instancePath;
    return `${doc.locate(pointer)}: ${pointer || '/'}: ${describe(e)}`;
  });
  throw new ConfigError([...new Set(problems)]);
}
