import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checksDigestOf, GRADER_VERSION, gradingProvenance } from './grading-provenance.ts';

describe('grading provenance', () => {
  it('digests the check file bytes and names the grader version', async () => {
    const p = await gradingProvenance('checks/exercise.yaml', undefined, ['ping']);
    expect(p.checksDigest).toBe(checksDigestOf(readFileSync('checks/exercise.yaml')));
    expect(p.checksDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(p.graderVersion).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(GRADER_VERSION).toBe(p.graderVersion);
    expect(p.only).toBeUndefined();
  });

  it('a changed byte changes the digest', () => {
    expect(checksDigestOf('checks: []\n')).not.toBe(checksDigestOf('checks: [] \n'));
  });

  it('records --only in check-file order', async () => {
    const p = await gradingProvenance('checks/exercise.yaml', ['iperf', 'ping'], ['subnets', 'ping', 'iperf']);
    expect(p.only).toEqual(['ping', 'iperf']);
  });
});
