import { createHash } from 'node:crypto';
import type { LabReport } from '../core/lab-report.ts';

// What makes two recorded attempts the same attempt: the same report, byte for byte once
// serialised (the same lab graded at the same moment with the same outcome). A report imported
// twice, or merged from a store that already holds it, is then recorded once.
export function attemptFingerprint(report: LabReport): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(report)).digest('hex')}`;
}
