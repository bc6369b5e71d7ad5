import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradingProvenance } from '../core/lab-report.ts';
import { renderJson } from './json.ts';
import { readLabReport, validateKeptReport } from './read-report.ts';
import { REPORT_SCHEMA_PATH, reportSchema } from './report-schema.ts';
import { sampleReport } from '../../test/support/sample-report.ts';

const PROVENANCE: GradingProvenance = { checksDigest: `sha256:${'ab'.repeat(32)}`, graderVersion: '0.1.0' };
const written = (overrides = {}) => JSON.parse(renderJson(sampleReport({ provenance: PROVENANCE, ...overrides }))) as Record<string, any>;
const reasonOf = (document: unknown, provenance?: GradingProvenance) => {
  const kept = validateKeptReport(document, provenance, 'router-lab');
  return kept.ok ? 'kept' : kept.reason;
};

describe('report.schema.json', () => {
  it('is what the code builds (run `npm run schema`)', () => {
    expect(JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8'))).toEqual(reportSchema);
  });

  it('is a valid JSON Schema', () => {
    const ajv = new Ajv({ strict: false, validateSchema: true });
    expect(ajv.validateSchema(reportSchema), ajv.errorsText()).toBe(true);
  });

  it("validates renderJson's output, hostile text and all optional fields included", () => {
    const validate = new Ajv({ strict: false, strictNumbers: true }).compile(reportSchema);
    for (const document of [written(), written({ provenance: { ...PROVENANCE, only: ['ping', 'iperf'] } }), JSON.parse(renderJson(sampleReport()))]) {
      expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});

describe('validateKeptReport', () => {
  it('keeps a report the grader wrote, without schemaVersion and generator', () => {
    const kept = validateKeptReport(written(), PROVENANCE, 'router-lab');
    const { schemaVersion: _v, generator: _g, ...expected } = written();
    expect(kept.ok && kept.report).toEqual(expected);
    expect(kept.ok && kept.report).toMatchObject({ lab: 'router-lab', score: 4, maxScore: 7 });
    expect(kept.ok && 'schemaVersion' in kept.report).toBe(false);
  });

  it('allows properties it does not know (fields other versions add)', () => {
    const document = written();
    document.diagnoses = [{ id: 'x' }];
    document.results[0].evidenceScope = 'in-vm';
    document.hosts[0].roles = ['vm1'];
    expect(reasonOf(document, PROVENANCE)).toBe('kept');
  });

  it.each([
    ['a crafted status', (d: any) => (d.results[1].status = 'passed'), /not a valid report: \/results\/1\/status must be equal to one of the allowed values: pass, fail, error/],
    ['a crafted maxScore', (d: any) => (d.maxScore = 1), /not a consistent report: maxScore 1 is not the sum/],
    ['a score above the sum', (d: any) => (d.score = 7), /score 7 is not the sum of its points \(4\)/],
    ['more points than the maximum', (d: any) => ((d.results[0].points = 5), (d.score = 8)), /\/results\/0: 5 points of 1/],
    ['points for a failed result', (d: any) => ((d.results[2].points = 1), (d.score = 5)), /\/results\/2: 1 points for a result that did not pass/],
    ['a summary that does not count', (d: any) => (d.summary.pass = 4), /summary .* does not count its 5 results/],
    ['missing results', (d: any) => delete d.results, /must have required property 'results'/],
    ['missing summary', (d: any) => delete d.summary, /must have required property 'summary'/],
    ['a string for a number', (d: any) => (d.score = '3'), /\/score must be number/],
    ['a null score (Infinity in JSON)', (d: any) => (d.score = null), /\/score must be number/],
    ['an absurd score', (d: any) => (d.score = 1e300), /\/score must be <=/],
    ['another schema version', (d: any) => (d.schemaVersion = 2), /\/schemaVersion must be equal to constant/],
    ['evidence without output', (d: any) => delete d.results[2].evidence[0].output, /must have required property 'output'/],
    ['another lab', (d: any) => (d.lab = 'lab99'), /the report of another lab \(lab99\)/],
    ['a bad digest', (d: any) => (d.provenance.checksDigest = 'md5:x'), /\/provenance\/checksDigest must match/],
  ])('refuses %s', (_name, tamper, reason) => {
    const document = written();
    tamper(document);
    expect(reasonOf(document, PROVENANCE)).toMatch(reason);
  });

  it('refuses what is not a report at all', () => {
    for (const document of [null, 42, 'report', [], {}]) expect(reasonOf(document)).toMatch(/^not a valid report: /);
  });

  it('keeps a report only when graded with the same check file and selection', () => {
    expect(reasonOf(written(), { ...PROVENANCE, checksDigest: `sha256:${'cd'.repeat(32)}` })).toBe('graded with another check file');
    expect(reasonOf(written(), { ...PROVENANCE, only: ['ping'] })).toBe('graded with every check, this run grades --only ping');
    expect(reasonOf(written({ provenance: { ...PROVENANCE, only: ['ping', 'iperf'] } }), PROVENANCE)).toBe('graded with --only ping,iperf, this run grades every check');
    expect(reasonOf(written({ provenance: { ...PROVENANCE, only: ['ping', 'iperf'] } }), { ...PROVENANCE, only: ['ping', 'iperf'] })).toBe('kept');
    expect(reasonOf(written(), { ...PROVENANCE, graderVersion: '0.2.0' })).toBe('kept');
    expect(reasonOf(JSON.parse(renderJson(sampleReport())), PROVENANCE)).toBe('it does not say what it was graded with (no provenance)');
    // Without a provenance to compare with, only the report itself is checked.
    expect(reasonOf(JSON.parse(renderJson(sampleReport())))).toBe('kept');
  });
});

describe('readLabReport', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rlg-read-report-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says there is none, that it is not JSON, or what is wrong with it', async () => {
    expect(await readLabReport(dir, 'router-lab', PROVENANCE)).toBeUndefined();
    await writeFile(path.join(dir, 'router-lab.json'), '{"schemaVersion": 1, "lab": "router-lab"');
    expect(await readLabReport(dir, 'router-lab', PROVENANCE)).toEqual({ ok: false, reason: 'not JSON' });
    await writeFile(path.join(dir, 'router-lab.json'), JSON.stringify({ ...written(), score: 99 }));
    expect(await readLabReport(dir, 'router-lab', PROVENANCE)).toMatchObject({ ok: false, reason: expect.stringMatching(/is not the sum/) });
    await writeFile(path.join(dir, 'router-lab.json'), renderJson(sampleReport({ provenance: PROVENANCE })));
    expect(await readLabReport(dir, 'router-lab', PROVENANCE)).toMatchObject({ ok: true, report: { lab: 'router-lab' } });
  });
});
