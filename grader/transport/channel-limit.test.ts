import { describe, expect, it } from 'vitest';
import { ChannelLimit } from './channel-limit.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('ChannelLimit', () => {
  it('runs at most `max` tasks at once and starts the others in arrival order', async () => {
    const limit = new ChannelLimit(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        limit.use(async () => {
          started.push(i);
          peak = Math.max(peak, ++active);
          await tick();
          active--;
          return i * 10;
        }),
      ),
    );
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('frees the slot when a task fails', async () => {
    const limit = new ChannelLimit(1);
    await expect(limit.use(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.use(async () => 'next')).resolves.toBe('next');
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new ChannelLimit(0)).toThrow(RangeError);
  });
});
