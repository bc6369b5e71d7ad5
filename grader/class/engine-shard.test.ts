import { describe, expect, it } from 'vitest';
import { resolveShard } from './engine-shard.ts';

describe('--shard auto', () => {
  it('takes I/N as written', () => {
    expect(resolveShard('2/3', {})).toEqual({ index: 2, total: 3 });
  });

  it("reads GitLab's parallel: (1-based)", () => {
    expect(resolveShard('auto', { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '3' })).toEqual({ index: 3, total: 3 });
    expect(resolveShard('auto/3', { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '3' })).toEqual({ index: 1, total: 3 });
    expect(() => resolveShard('auto/4', { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '3' })).toThrow(/not 4/);
    expect(() => resolveShard('auto', { CI_NODE_INDEX: '0', CI_NODE_TOTAL: '3' })).toThrow(/CI_NODE_INDEX='0'/);
  });

  it('reads a Kubernetes Indexed Job (0-based), the total from auto/N or the manifest', () => {
    expect(resolveShard('auto/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, total: 4 });
    expect(resolveShard('auto', { JOB_COMPLETION_INDEX: '3', GRADER_SHARD_TOTAL: '4' })).toEqual({ index: 4, total: 4 });
    expect(() => resolveShard('auto', { JOB_COMPLETION_INDEX: '0' })).toThrow(/auto\/N or set GRADER_SHARD_TOTAL/);
    expect(() => resolveShard('auto/4', { JOB_COMPLETION_INDEX: '4' })).toThrow(/not 0 <= index < 4/);
    expect(() => resolveShard('auto/3', { JOB_COMPLETION_INDEX: '0', GRADER_SHARD_TOTAL: '4' })).toThrow(/says 4/);
  });

  it('outside both engines, says so', () => {
    expect(() => resolveShard('auto', {})).toThrow(/neither is set/);
    expect(() => resolveShard('autox', {})).toThrow(/--shard must be I\/N/);
  });
});
