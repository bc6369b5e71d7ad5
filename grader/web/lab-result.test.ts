import { describe, expect, it } from 'vitest';
import { sampleReport, sampleResult } from '../../test/support/sample-report.ts';
import { whatToFix } from './lab-result.ts';

describe("the board's What to fix without a diagnosis", () => {
  it('lists the hints of failures, and never the exercise hint of a result that could not be graded', () => {
    const report = sampleReport({
      results: [
        sampleResult({ id: 'routes', host: 'vm1', status: 'fail', hint: 'Add the route via the router.' }),
        sampleResult({ id: 'ping', host: 'vm1', status: 'error', hint: 'Ping the IP of the vNIC of VM3 from VM1.' }),
      ],
    });
    const html = whatToFix(report);
    expect(html).toContain('Add the route via the router.');
    expect(html).not.toContain('Ping the IP');
  });

  it('does not say every check passed when some could not be graded', () => {
    const report = sampleReport({ results: [sampleResult({ id: 'ping', host: 'vm1', status: 'error', hint: 'Ping the IP of the vNIC of VM3 from VM1.' })] });
    const html = whatToFix(report);
    expect(html).not.toContain('every check passed');
    expect(html).not.toContain('Ping the IP');
    expect(whatToFix(sampleReport({ results: [sampleResult({ id: 'ping', host: 'vm1', status: 'pass' })] }))).toContain('Nothing: every check passed.');
  });
});
