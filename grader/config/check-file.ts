import { checkFileSchema } from '../checks/check-file-schema.ts';
import { findKind } from '../checks/registry.ts';
import type { CheckKind } from '../checks/check-kind.ts';
import type { Role } from '../core/roles.ts';
import { ConfigError } from './config-error.ts';
import { loadDocument } from './load-document.ts';
import { validateDocument } from './validate.ts';

// One check of the check file, validated, its defaults filled in.
export interface CheckSpec {
  id: string;
  kind: CheckKind;
  title: string;
  hint: string;
  points: number;
  hosts: Role[];
  params: Record<string, unknown>;
}

interface RawCheck {
  id: string;
  kind: string;
  title: string;
  hint: string;
  points: number;
  hosts: Role[];
  params: Record<string, unknown>;
}

const schema = checkFileSchema();

export async function loadCheckFile(path: string): Promise<CheckSpec[]> {
  const doc = await loadDocument(path, 'check file');
  const { checks } = validateDocument<{ checks: RawCheck[] }>(schema, doc);
  const seen = new Map<string, number>();
  const problems: string[] = [];
  checks.forEach((check, index) => {
    const first = seen.get(check.id);
    if (first !== undefined) problems.push(`${doc.locate(`/checks/${index}/id`)}: /checks/${index}/id: '${check.id}' is already the id of check ${first + 1}`);
    else seen.set(check.id, index);
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return checks.map((check) => ({ ...check, kind: findKind(check.kind)! }));
}

// The checks named by --only, in check-file order; an unknown id is a usage error.
export function selectChecks(checks: CheckSpec[], only: string[] | undefined): CheckSpec[] {
  if (!only) return checks;
  const known = new Set(checks.map((c) => c.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new ConfigError([`--only: unknown check id ${unknown.map((id) => `'${id}'`).join(', ')}; the check file has ${[...known].join(', ')}`]);
  return checks.filter((c) => only.includes(c.id));
}

// One line per check for --list.
export function listChecks(checks: CheckSpec[]): string {
  return checks
    .map((c) => {
      const hosts = c.kind.scope === 'lab' ? 'lab' : c.hosts.join(',');
      return `${c.id.padEnd(12)} ${c.kind.kind.padEnd(11)} ${hosts.padEnd(16)} ${String(c.points).padStart(3)} pt  ${c.title}`;
    })
    .join('\n');
}
