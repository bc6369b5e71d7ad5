import { describe, expect, it } from 'vitest';
import { parsePing } from '../../parse/ping.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluatePing } from './ping.ts';

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

  it('fails loss above the threshold and passes it within', () => {
    const summary = { ...parsePing(fixture('ping/iputils-via-router.txt')), received: 2, lossPercent: 33 };
    expect(evaluatePing(summary, '10.0.2.3', params, []).message).toBe('33% loss to 10.0.2.3, above the 0% allowed');
    expect(evaluatePing(summary, '10.0.2.3', { ...params, maxLossPercent: 40 }, []).status).toBe('pass');
  });
});
