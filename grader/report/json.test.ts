import { describe, expect, it } from 'vitest';
import { renderJson } from './json.ts';
import { sampleReport } from '../../test/support/sample-report.ts';

describe('renderJson', () => {
  const report = sampleReport();
  const text = renderJson(report);
  const parsed = JSON.parse(text) as Record<string, unknown> & { results: Record<string, unknown>[] };

  it('is pretty JSON with a schema version and generator on top', () => {
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "generator": "router-lab-grader",\n  "lab": "router-lab"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('round-trips the report when nothing needed cleaning', () => {
    const clean = sampleReport({ results: report.results.filter((r) => r.status === 'pass'), hosts: report.hosts.slice(0, 2) });
    const { schemaVersion, generator, ...rest } = JSON.parse(renderJson(clean)) as Record<string, unknown>;
    expect(schemaVersion).toBe(1);
    expect(generator).toBe('router-lab-grader');
    expect(rest).toEqual(JSON.parse(JSON.stringify(clean)));
  });

  it('keeps every result field', () => {
    const fail = parsed.results[2]!;
    expect(Object.keys(fail)).toEqual([
      'id', 'kind', 'host', 'title', 'status', 'points', 'maxPoints', 'message',
      'expected', 'actual', 'hint', 'evidence', 'measurements', 'durationMs',
    ]);
    expect(fail).toMatchObject({ id: 'virtio', host: 'router', status: 'fail', points: 0, maxPoints: 1, expected: 'virtio_net on every NIC' });
    expect(parsed.results[4]).toMatchObject({ status: 'error', measurements: { throughputMbps: 941.234 }, durationMs: 1500 });
    expect(parsed).toMatchObject({ score: 4, maxScore: 7, durationMs: 12_345, summary: { pass: 3, fail: 1, error: 1, total: 5 } });
  });

  it('sanitizes every string that came from a VM', () => {
    expect(text).not.toMatch(/\\u001b|\\u0000|\\u0007|\\b|\\f|\\r|\\u009b|\\ud800|\\udc00/i);
    expect(text).not.toMatch(/\[31m|\[0m|\[\?25/);
    const fail = parsed.results[2] as { message: string; evidence: { output: string }[] };
    expect(fail.message).toBe('enp8s0 uses e1000');
    expect(fail.evidence[1]!.output).toContain('cdata]]>twice]]><script/> <tag attr="v"> & amp &amp;');
    expect(fail.evidence[1]!.output).toContain('crlf\nlf\ncr\nend');
    expect((parsed.hosts as { error?: string }[])[2]!.error).toBe('ssh: connect timed out');
  });
});

describe('renderJson of a lab found from the topology', () => {
  it('keeps the roles, the networks and the misfits, sanitized', () => {
    const discovery = {
      hypervisor: 'admin@lab-server',
      management: 'default',
      internalNetworks: ['alice-net1', 'alice-net2'],
      roles: [{ role: 'router', domain: 'alice-router', state: 'running', why: 'router = alice-router: NICs on alice-net1, alice-net2, default\x1b[31m' }],
      problems: [],
    };
    const json = JSON.parse(renderJson(sampleReport({ discovery })));
    expect(json.discovery).toEqual({ ...discovery, roles: [{ ...discovery.roles[0], why: 'router = alice-router: NICs on alice-net1, alice-net2, default' }] });
    expect(JSON.parse(renderJson(sampleReport())).discovery).toBeUndefined();
  });
});
