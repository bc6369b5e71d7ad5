// The pages as strings: what flipped between attempts, and hostile lab data escaped in every page.
import { describe, expect, it } from 'vitest';
import { sampleReport, sampleResult, HOSTILE_OUTPUT } from '../../test/support/sample-report.ts';
import { hostileReport, newAttempt, HOSTILE_HOST, HOSTILE_NIC } from '../../test/support/board-course.ts';
import type { Attempt } from '../store/course-store.ts';
import { boardModel } from './board-model.ts';
import { boardPage, PAGE_SIZE } from './board-page.ts';
import { labPage } from './lab-page.ts';
import { resultsTable } from './lab-result.ts';
import { flips } from '../store/attempt-history.ts';
import { studentPage } from './student-page.ts';

const stored = (id: number, report = hostileReport('lab05')): Attempt => ({ ...newAttempt(report, '2026-12-07T14:00:00.000Z', 's-005'), id, recordedAt: '2026-12-07T14:00:31.000Z', score: report.score, maxScore: report.maxScore, report });

describe('the pages', () => {
  it('flips: results that changed status, appeared or vanished', () => {
    const before = [sampleResult({ id: 'ping', host: 'vm1', status: 'fail' }), sampleResult({ id: 'iperf', host: 'vm1', status: 'pass' }), sampleResult({ id: 'subnets', host: 'lab', status: 'pass' })];
    const after = [sampleResult({ id: 'ping', host: 'vm1', status: 'pass' }), sampleResult({ id: 'iperf', host: 'vm1', status: 'pass' }), sampleResult({ id: 'routes', host: 'vm3', status: 'error' })];
    expect(flips(before, after)).toEqual([
      { result: 'ping vm1', from: 'fail', to: 'pass' },
      { result: 'routes vm3', to: 'error' },
      { result: 'subnets', from: 'pass' },
    ]);
  });

  it('a lab\'s NIC, host names and outputs are text in the board, the lab page and the student page', () => {
    const attempt = stored(1);
    const model = boardModel([attempt], { rosters: [], extensions: new Map(), latePolicy: { kind: 'on-time' } }, { now: new Date('2026-12-07T15:00:00Z'), stuck: { attempts: 3, minutes: 20 } });
    const pages = [
      boardPage(model, { page: 1, pageSize: PAGE_SIZE }, 'csrf'),
      labPage({ lab: 'lab05', attempts: [attempt], shown: attempt, copies: [], csrf: 'csrf' }, ''),
      studentPage({ lab: 'lab05', student: { id: 's-005', name: HOSTILE_NIC }, attempts: [attempt], latest: attempt, now: new Date(), coursePublicKey: 'ssh-ed25519 AAAA k', baseUrl: 'http://x' }),
      resultsTable(sampleReport({ results: [sampleResult({ id: 'ping', host: 'vm1', status: 'fail', message: HOSTILE_OUTPUT, evidence: [{ host: 'vm1', command: HOSTILE_OUTPUT, exitCode: 1, output: HOSTILE_OUTPUT }] })] })),
    ];
    for (const html of pages) {
      expect(html).not.toContain(HOSTILE_NIC);
      expect(html).not.toContain(HOSTILE_HOST);
      expect(html).not.toMatch(/<(img|b|i|tag|testcase)[\s>]/);
      expect(html).not.toMatch(/<script(?! src="\/assets\/board\.js" defer>)/);
      expect(html).not.toContain('\x1b');
    }
    expect(pages[1]).toContain('&#60;script&#62;window.__pwned=2&#60;/script&#62;vm1.example');
  });

  it("the instructor's lab page lists the signs to review of the attempt shown, escaped; the student's page does not", () => {
    const report = { ...hostileReport('lab05'), review: [{ host: 'router', sign: 'rc-hook' as const, what: '/root/.bashrc runs before every command the grader sends', seen: ['1: exec /opt/<kit>'] }] };
    const attempt = stored(1, report);
    const lab = labPage({ lab: 'lab05', attempts: [attempt], shown: attempt, copies: [], csrf: 'csrf' }, '');
    expect(lab).toContain('<h3>To review</h3>');
    expect(lab).toContain('router: /root/.bashrc runs before every command the grader sends');
    expect(lab).toContain('exec /opt/&#60;kit&#62;');
    expect(labPage({ lab: 'lab05', attempts: [stored(2)], shown: stored(2), copies: [], csrf: 'csrf' }, '')).not.toContain('To review');
    const student = studentPage({ lab: 'lab05', student: { id: 's-005' }, attempts: [attempt], latest: attempt, now: new Date(), coursePublicKey: 'ssh-ed25519 AAAA k', baseUrl: 'http://x' });
    expect(student).not.toContain('bashrc');
  });
});
