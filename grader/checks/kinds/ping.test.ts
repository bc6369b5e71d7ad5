import { describe, expect, it } from 'vitest';
import { parsePing } from '../../parse/ping.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluatePing, rejudgePing } from './ping.ts';
import { sampleResult } from '../../../test/support/sample-report.ts';

const params = { count: 3, intervalSeconds: 0.2, maxLossPercent: 0 };

describe('evaluatePing', () => {
  it('passes replies through the router and records rtt and ttl', () => {
    const verdict = evaluatePing(parsePing(fixture('ping/iputils-via-router.txt')), '10.0.2.3', params, []);
    expect(verdict.status).toBe('pass');
    expect(verdict.measurements).toMatchObject({ lossPercent: 0, replyTtl: 63 });
    expect(verdict.measurements?.rttAvgMs).toBeGreaterThan(0);
  });

  it('passes BusyBox ping too', () => {
    expect(evaluatePing(parsePing(fixture('ping/busybox-via-router.txt')), '10.0.2.3', params, []).status).toBe('pass');
  });

  it('fails 100% loss when VM3 has no route back', () => {
    const verdict = evaluatePing(parsePing(fixture('ping/iputils-no-return-route.txt')), '10.0.2.3', params, []);
    expect(verdict).toMatchObject({ status: 'fail', message: expect.stringMatching(/^no reply from 10\.0\.2\.3/) });
    expect(verdict.measurements?.lossPercent).toBe(100);
  });

  it('says truthfully what was sent when nothing answers: ping -w kept sending past the count until its deadline', () => {
    const exercise = { count: 5, intervalSeconds: 0.2, maxLossPercent: 0 };
    const verdict = evaluatePing(parsePing(fixture('ping/iputils-no-reply-deadline.txt')), '10.0.2.3', exercise, []);
    expect(verdict).toMatchObject({ status: 'fail', reason: 'no-reply' });
    expect(verdict.message).toBe('no reply from 10.0.2.3: 20 echo requests sent in 4 s (ping -c 5 keeps sending until 5 replies come or its 4 s deadline passes)');
    // As many sent as asked: said as before.
    expect(evaluatePing(parsePing(fixture('ping/iputils-no-return-route.txt')), '10.0.2.3', { ...exercise, count: 2 }, []).message).toBe('no reply from 10.0.2.3 (2 sent)');
  });

  it('re-scores such a result under another loss threshold: the count it asked for is what is compared, not what ping sent', () => {
    const exercise = { count: 5, intervalSeconds: 0.2, maxLossPercent: 0 };
    const verdict = evaluatePing(parsePing(fixture('ping/iputils-no-reply-deadline.txt')), '10.0.2.3', exercise, []);
    const stored = sampleResult({ id: 'ping', host: 'vm1', status: 'fail', reason: verdict.reason, subject: verdict.subject, message: verdict.message, measurements: verdict.measurements ?? {}, params: exercise });
    expect(rejudgePing(stored, { ...exercise, maxLossPercent: 50 })).toMatchObject({ status: 'fail', reason: 'no-reply' });
    expect(rejudgePing(stored, { ...exercise, count: 10 })).toEqual({ needsLiveRun: 'it asked for 5 echo replies, the check file now asks for 10' });
  });

  it('fails loss above the threshold and passes it within', () => {
    const summary = { ...parsePing(fixture('ping/iputils-via-router.txt')), received: 2, lossPercent: 33 };
    expect(evaluatePing(summary, '10.0.2.3', params, []).message).toBe('33% loss to 10.0.2.3, above the 0% allowed');
    expect(evaluatePing(summary, '10.0.2.3', { ...params, maxLossPercent: 40 }, []).status).toBe('pass');
  });
});
