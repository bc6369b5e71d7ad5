// The best score a lab can reach on what it is built of: a reference lab (network namespaces,
// `builtBy: netns`) has veths, never VirtIO NICs, so its virtio checks can never pass. Pure.
import type { LabReport } from './lab-report.ts';

/** The check kind a namespace can never pass. */
const NEVER_ON_NAMESPACES = 'virtio';

/** The best score of a reference lab ("12/15: the best a namespace lab can score"); undefined for any other lab. */
export function namespaceBestScore(report: Pick<LabReport, 'builtBy' | 'maxScore' | 'results'>): number | undefined {
  if (report.builtBy !== 'netns') return undefined;
  return report.maxScore - report.results.filter((r) => r.kind === NEVER_ON_NAMESPACES).reduce((sum, r) => sum + r.maxPoints, 0);
}

/** The line a reference lab's console and class page show under its score. */
export function namespaceBestScoreLine(report: Pick<LabReport, 'builtBy' | 'maxScore' | 'results'>, format: (points: number) => string): string | undefined {
  const best = namespaceBestScore(report);
  return best === undefined ? undefined : `${format(best)}/${format(report.maxScore)}: the best a namespace lab can score (its NICs are veths, never VirtIO)`;
}
