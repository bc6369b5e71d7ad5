import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../core/diagnosis.ts';
import type { Attempt } from '../store/course-store.ts';
import { labReport } from '../../test/support/store-reports.ts';
import { stuckLabs } from './board-stuck.ts';

const cause = (c: Diagnosis['cause']): Diagnosis => ({ cause: c, host: 'router', summary: c, fix: [], evidence: [], results: [] });

let id = 0;
function attempt(lab: string, startedAt: string, causes: Diagnosis['cause'][], status: Attempt['status'] = 'complete'): Attempt {
  const report = { ...labReport(lab, startedAt, { ping: causes.length > 0 ? 'fail' : 'pass' }), diagnoses: causes.map(cause) };
  return { id: ++id, lab, startedAt, endedAt: startedAt, recordedAt: startedAt, command: 'submit', machine: 'm', status, score: report.score, maxScore: report.maxScore, report };
}

const NOW = new Date('2026-12-07T15:00:00Z');
const RULE = { attempts: 3, minutes: 20 };

describe('stuckLabs', () => {
  it('a cause in the last three attempts in a row is stuck, the run counted from the latest back', () => {
    const attempts = [
      attempt('a', '2026-12-07T14:50:00Z', ['no-route']),
      attempt('a', '2026-12-07T14:52:00Z', ['forwarding-off', 'no-route']),
      attempt('a', '2026-12-07T14:54:00Z', ['forwarding-off', 'no-route']),
      attempt('a', '2026-12-07T14:56:00Z', ['no-route']),
    ];
    expect(stuckLabs(attempts, NOW, RULE)).toEqual([{ lab: 'a', cause: 'no-route', attempts: 4, since: '2026-12-07T14:50:00Z', minutes: 10 }]);
  });

  it('two recent attempts are not stuck; the same two since 25 minutes are', () => {
    expect(stuckLabs([attempt('b', '2026-12-07T14:50:00Z', ['not-virtio']), attempt('b', '2026-12-07T14:55:00Z', ['not-virtio'])], NOW, RULE)).toEqual([]);
    expect(stuckLabs([attempt('b', '2026-12-07T14:35:00Z', ['not-virtio']), attempt('b', '2026-12-07T14:55:00Z', ['not-virtio'])], NOW, RULE)).toEqual([{ lab: 'b', cause: 'not-virtio', attempts: 2, since: '2026-12-07T14:35:00Z', minutes: 25 }]);
  });

  it('a lab whose latest attempt has no cause, or a new one, is not stuck; interrupted attempts do not count', () => {
    const fixed = [attempt('c', '2026-12-07T14:00:00Z', ['no-route']), attempt('c', '2026-12-07T14:01:00Z', ['no-route']), attempt('c', '2026-12-07T14:02:00Z', ['no-route']), attempt('c', '2026-12-07T14:59:00Z', [])];
    const moved = [attempt('d', '2026-12-07T14:57:00Z', ['no-route']), attempt('d', '2026-12-07T14:58:00Z', ['no-route']), attempt('d', '2026-12-07T14:59:00Z', ['filtered'])];
    const interrupted = [attempt('e', '2026-12-07T14:57:00Z', ['no-route']), attempt('e', '2026-12-07T14:58:00Z', ['no-route'], 'interrupted'), attempt('e', '2026-12-07T14:59:00Z', ['no-route'])];
    expect(stuckLabs([...fixed, ...moved, ...interrupted], NOW, RULE)).toEqual([]);
  });
});
