// docs/reference/check-kinds.md: every kind a check file may use, from the registry's CHECK_KINDS
// (what it checks, where it runs, when, and its parameters with their defaults and bounds).
import { CHECK_KINDS } from '../../grader/checks/registry.ts';
import type { JsonSchema } from '../../grader/checks/check-kind.ts';
import { code, generatedFrom, table } from './markdown.ts';

export interface KindFacts {
  kind: string;
  summary: string;
  scope: 'host' | 'lab';
  allowedHosts: readonly string[];
  defaultHosts: readonly string[];
  phase: string;
  paramsSchema: JsonSchema;
  rescoring?: { thresholds: readonly string[] };
}

const PHASES: Record<string, string> = {
  inspect: 'inspect: reads state, sends no traffic',
  traffic: 'traffic: after the inspections',
  measure: 'measure: last, alone on the path',
};

/** A parameter's type and bounds in words: `integer, 1 to 100`, `one of vm1, router, vm3`. */
export function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => code(String(v))).join(', ')}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type ?? 'any');
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? `more than ${String(schema.exclusiveMinimum)}` : undefined);
  const high = schema.maximum;
  if (low !== undefined && high !== undefined) return `${type}, ${String(low)} to ${String(high)}`;
  if (low !== undefined) return `${type}, at least ${String(low)}`;
  if (high !== undefined) return `${type}, at most ${String(high)}`;
  return type;
}

function paramsTable(schema: JsonSchema): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const names = Object.keys(properties);
  if (names.length === 0) return 'Parameters: none.';
  return table(
    ['parameter', 'type', 'default', 'meaning'],
    names.map((name) => {
      const p = properties[name]!;
      return [code(name), typeOf(p), p.default === undefined ? '–' : code(JSON.stringify(p.default)), String(p.description ?? '')];
    }),
  );
}

function section(kind: KindFacts): string {
  const hosts = kind.scope === 'lab' ? 'the lab: one result' : `${kind.defaultHosts.map(code).join(', ')} (may name ${kind.allowedHosts.map(code).join(', ')}), one result per host`;
  const rescore = kind.rescoring
    ? `judged again from stored measurements when ${kind.rescoring.thresholds.map(code).join(', ')} change${kind.rescoring.thresholds.length === 1 ? 's' : ''}`
    : 'a changed parameter needs a live run';
  return [
    `## ${code(kind.kind)}`,
    '',
    kind.summary,
    '',
    `- Hosts: ${hosts}`,
    `- Phase: ${PHASES[kind.phase] ?? kind.phase}`,
    `- \`rescore\`: ${rescore}`,
    '',
    paramsTable(kind.paramsSchema),
  ].join('\n');
}

export function renderCheckKinds(kinds: readonly KindFacts[] = CHECK_KINDS): string {
  return [
    generatedFrom(['grader/checks/registry.ts']),
    '',
    '# Check kinds',
    '',
    `The kinds a check file's \`kind:\` may name (${kinds.map((k) => code(k.kind)).join(', ')}), as the registry holds them; how a check file uses them: [the check file](../check-file.md).`,
    '',
    ...kinds.flatMap((k) => [section(k), '']),
  ].join('\n');
}
