// Valid labs that are not built exactly as the exercise has it, recorded from the reference lab's
// variants: every check but virtio passes, and nothing is diagnosed.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

const state = (name: string): DiagnosisInput => JSON.parse(fixture(`diagnose/${name}.json`)) as DiagnosisInput;

describe.each(['router-two-addresses', 'default-via-router'])('%s, a valid lab', (name) => {
  it('passed every check but virtio (as recorded)', () => {
    const failed = state(name).results.filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.host}`);
    expect(failed).toEqual(['virtio vm1', 'virtio router', 'virtio vm3']);
  });

  it('is diagnosed with nothing but its veths', () => {
    expect(diagnose(state(name)).filter((d) => d.cause !== 'not-virtio')).toEqual([]);
  });

  it('its routes are right even if the routes check had not run (the diagnosis judges them alone)', () => {
    const s = state(name);
    const found = diagnose({ ...s, results: s.results.filter((r) => r.kind !== 'routes') }).filter((d) => d.cause !== 'not-virtio');
    expect(found).toEqual([]);
  });
});
