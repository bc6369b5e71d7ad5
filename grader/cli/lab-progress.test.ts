// One lab's live progress on a terminal (issue 27, rough edge 1).
import { describe, expect, it } from 'vitest';
import { sampleResult } from '../../test/support/sample-report.ts';
import { createLabProgress } from './lab-progress.ts';

function terminal(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, status: (s: string) => void writes.push(`\r\x1b[K${s}`) }, writes };
}

// What the terminal shows: each write of a status line replaces the one before.
const shown = (writes: string[]) => writes.join('').split('\r\x1b[K').at(-1);

describe('createLabProgress', () => {
  it('on a terminal, redraws one status line as checks start and finish, and erases it at the end', () => {
    const { stream, writes } = terminal(true);
    const progress = createLabProgress(stream, 'nc4', 3, { tick: false, columns: 200 })!;
    expect(shown(writes)).toBe('[0/3] nc4: connecting to the VMs');
    progress.started({ id: 'virtio', host: 'vm1' });
    progress.started({ id: 'virtio', host: 'router' });
    expect(shown(writes)).toMatch(/^\[0\/3\] nc4: 0 passed, 0 failed, 0 errors; running virtio vm1, virtio router \(\d+ s\)$/);
    progress.finished(sampleResult({ id: 'virtio', host: 'vm1', status: 'fail' }));
    expect(shown(writes)).toMatch(/^\[1\/3\] nc4: 0 passed, 1 failed, 0 errors; running virtio router \(\d+ s\)$/);
    progress.finished(sampleResult({ id: 'virtio', host: 'router', status: 'pass' }));
    progress.started({ id: 'subnets', host: 'lab' });
    expect(shown(writes)).toMatch(/^\[2\/3\] nc4: 1 passed, 1 failed, 0 errors; running subnets \(\d+ s\)$/);
    progress.close();
    expect(writes.at(-1)).toBe('\r\x1b[K');
    // Only status lines: never a newline, so nothing is left above the report.
    expect(writes.join('')).not.toContain('\n');
  });

  it('fits the status line in the terminal, so that it never wraps', () => {
    const { stream, writes } = terminal(true);
    const progress = createLabProgress(stream, 'a-rather-long-lab-name', 15, { tick: false, columns: 40 })!;
    for (const host of ['vm1', 'router', 'vm3']) progress.started({ id: 'virtio', host });
    expect(shown(writes)!.length).toBeLessThanOrEqual(39);
    expect(shown(writes)).toMatch(/…$/);
  });

  it('shows nothing when the stream is not a terminal (a log or a pipe gets the report alone)', () => {
    const { stream } = terminal(false);
    expect(createLabProgress(stream, 'nc4', 3)).toBeUndefined();
  });
});
