import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import packageJson from '../../package.json' with { type: 'json' };
import type { GradingProvenance } from '../core/lab-report.ts';

export const GRADER_VERSION: string = packageJson.version;

/** `sha256:` and the hex digest of a check file's bytes. */
export function checksDigestOf(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

// What this run grades with: the check file's digest, the grader's version, the --only selection.
export async function gradingProvenance(checkFilePath: string, only: string[] | undefined, checkIds: string[]): Promise<GradingProvenance> {
  const provenance: GradingProvenance = { checksDigest: checksDigestOf(await readFile(checkFilePath)), graderVersion: GRADER_VERSION };
  if (only) provenance.only = checkIds.filter((id) => only.includes(id));
  return provenance;
}
