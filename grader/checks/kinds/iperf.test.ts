import { describe, expect, it } from 'vitest';
import { parseIperf3Json } from '../../parse/iperf3.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluateIperf } from './iperf.ts';

describe('evaluateIperf', () => {
  const slow = parseIperf3Json(fixture('iperf3/tcp-via-router.json'));

  it('fails a rate-limited path below the floor and reports the figure', () => {
    const verdict = evaluateIperf(slow, '10.0.2.3', 100, []);
    expect(verdict.status).toBe('fail');
    expect(verdict.measurements?.throughputMbps).toBeCloseTo(19.13, 1);
    expect(verdict.message).toMatch(/^19\.1\d? Mbit\/s to 10\.0\.2\.3, below the floor of 100 Mbit\/s$/);
  });

  it('passes the same figure against a lower floor', () => {
    expect(evaluateIperf(slow, '10.0.2.3', 10, []).status).toBe('pass');
  });

  it('fails a refused connection with iperf3 own words', () => {
    const verdict = evaluateIperf(parseIperf3Json(fixture('iperf3/connection-refused.json')), '10.0.2.3', 100, []);
    expect(verdict).toMatchObject({ status: 'fail', message: 'iperf3 to 10.0.2.3 failed: unable to connect to server: Connection refused' });
  });
});
