import { describe, expect, it } from 'vitest';
import { parseTraceroute } from '../../parse/traceroute.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluateTraceroute } from './traceroute.ts';
import { networkRefusal } from '../traffic-parts.ts';

const trace = (name: string) => parseTraceroute(fixture(`traceroute/${name}`));

describe('evaluateTraceroute', () => {
  it.each(['debian-via-router.txt', 'busybox-via-router.txt', 'inetutils-via-router.txt', 'tracepath-via-router.txt'])(
    'passes the router as the only hop (%s)',
    (name) => {
      expect(evaluateTraceroute(trace(name), '10.0.1.1', '10.0.2.3', [])).toMatchObject({ status: 'pass', measurements: { hops: 2 } });
    },
  );

  it('fails when the first hop is not the router, naming it', () => {
    const verdict = evaluateTraceroute(trace('debian-via-router.txt'), '10.0.1.254', '10.0.2.3', []);
    expect(verdict).toMatchObject({ status: 'fail', message: "the first hop is 10.0.1.1, not the router's 10.0.1.254" });
    expect(verdict.actual).toBe('1 10.0.1.1; 2 10.0.2.3');
  });

  it('fails when the destination never answers after the router', () => {
    const verdict = evaluateTraceroute(trace('debian-no-return-route.txt'), '10.0.1.1', '10.0.2.3', []);
    expect(verdict.message).toBe('10.0.2.3 was not reached after the router (5 hops tried)');
  });

  it('fails a destination reached in one hop (no router on the way)', () => {
    const oneHop = { hops: [{ index: 1, addresses: ['10.0.2.3'], rttsMs: [0.1], annotations: [] }] };
    expect(evaluateTraceroute(oneHop, '10.0.1.1', '10.0.2.3', []).message).toMatch(/reached in one hop/);
  });

  it('fails an extra hop between the router and the destination', () => {
    const t = trace('debian-via-router.txt');
    const longer = { hops: [t.hops[0]!, { index: 2, addresses: ['10.0.9.1'], rttsMs: [], annotations: [] }, { ...t.hops[1]!, index: 3 }] };
    expect(evaluateTraceroute(longer, '10.0.1.1', '10.0.2.3', []).message).toMatch(/reached after 3 hops/);
  });
});

describe('networkRefusal', () => {
  it('turns traceroute\'s "connect: Network is unreachable" (no route at all) into a reason, not a parse error', () => {
    const stdout = fixture('traceroute/debian-no-route.stdout');
    const stderr = fixture('traceroute/debian-no-route.stderr');
    expect(() => parseTraceroute(stdout)).toThrow();
    expect(networkRefusal(stdout, stderr)).toBe('connect: Network is unreachable');
  });

  it('finds nothing in a trace that ran', () => {
    expect(networkRefusal(fixture('traceroute/debian-via-router.txt'), '')).toBeUndefined();
  });
});
