// A reference lab (built by npm run lab: network namespaces, veths) can never pass its virtio
// checks; its console and class page say so, keyed on the report's `builtBy`, never on prose.
import { describe, expect, it } from 'vitest';
import { renderClassHtml } from '../class-report/class-html.ts';
import { CHECK_IDS, classLabReport } from '../../test/support/sample-class.ts';
import { renderConsole } from '../report/console.ts';
import { renderJson } from '../report/json.ts';
import { formatPoints } from '../report/result-label.ts';
import { sampleReport, sampleResult } from '../../test/support/sample-report.ts';
import { namespaceBestScore, namespaceBestScoreLine } from './best-score.ts';

const results = [
  sampleResult({ id: 'subnets', host: 'lab', status: 'pass', points: 1, maxPoints: 1 }),
  ...(['vm1', 'router', 'vm3'] as const).map((host) => sampleResult({ id: 'virtio', kind: 'virtio', host, status: 'fail', points: 0, maxPoints: 1 })),
  sampleResult({ id: 'ping', kind: 'ping', host: 'vm1', status: 'pass', points: 11, maxPoints: 11 }),
];
const reference = sampleReport({ results, score: 12, maxScore: 15, builtBy: 'netns' });

describe("a reference lab's best score", () => {
  it('is the lab maximum less the virtio checks, for a lab built by netns only', () => {
    expect(namespaceBestScore(reference)).toBe(12);
    expect(namespaceBestScore({ ...reference, builtBy: 'libvirt' })).toBeUndefined();
    expect(namespaceBestScore({ ...reference, builtBy: undefined })).toBeUndefined();
  });

  it('is said under the score on the console', () => {
    const lines = renderConsole(reference, { color: false }).split('\n');
    const score = lines.findIndex((l) => l.startsWith('Score: 12/15'));
    expect(lines[score + 1]).toBe('12/15: the best a namespace lab can score (its NICs are veths, never VirtIO)');
    expect(renderConsole({ ...reference, builtBy: 'libvirt' }, { color: false })).not.toContain('the best a namespace lab');
  });

  it("is said on the lab's section of the class page", () => {
    const lab = { ...classLabReport('nslab'), builtBy: 'netns' as const };
    const html = renderClassHtml({ startedAt: '2025-11-25T14:02:10.512+01:00', durationMs: 1000, labs: [{ lab: 'nslab', report: lab }] }, CHECK_IDS);
    expect(html).toContain(`${namespaceBestScoreLine(lab, formatPoints)}`);
    expect(html).toMatch(/\d+\/\d+: the best a namespace lab can score/);
  });

  it('travels in the JSON report', () => {
    expect(JSON.parse(renderJson(reference)).builtBy).toBe('netns');
  });
});
