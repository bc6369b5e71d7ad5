import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createMeasureGate } from './measure-gate.ts';

describe('measurements take turns per hypervisor', () => {
  it('never runs two measurements of one hypervisor at once, while another hypervisor goes on', async () => {
    const gate = createMeasureGate(1);
    const spans: Array<{ key: string; start: number; end: number }> = [];
    const measure = (key: string) =>
      gate(key, async () => {
        const start = performance.now();
        await sleep(20);
        spans.push({ key, start, end: performance.now() });
      });
    await Promise.all([measure('a'), measure('a'), measure('b'), measure('a')]);
    const a = spans.filter((s) => s.key === 'a').sort((x, y) => x.start - y.start);
    expect(a).toHaveLength(3);
    for (let i = 1; i < a.length; i++) expect(a[i]!.start).toBeGreaterThanOrEqual(a[i - 1]!.end);
    const b = spans.find((s) => s.key === 'b')!;
    expect(b.start).toBeLessThan(a[0]!.end);
  });

  it('lets N run at once with N turns, and frees a turn when a measurement throws', async () => {
    const gate = createMeasureGate(2);
    let now = 0;
    let most = 0;
    const measure = () =>
      gate('a', async () => {
        most = Math.max(most, ++now);
        await sleep(10);
        now--;
      });
    await expect(gate('a', async () => Promise.reject(new Error('lost')))).rejects.toThrow('lost');
    await Promise.all([measure(), measure(), measure(), measure()]);
    expect(most).toBe(2);
  });
});
