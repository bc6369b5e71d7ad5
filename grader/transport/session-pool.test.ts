import { describe, expect, it } from 'vitest';
import { SessionPool, type PooledSession } from './session-pool.ts';

class Session implements PooledSession {
  idle = true;
  closed = false;
  constructor(readonly id: number) {}
  ended = false;
  close() {
    this.closed = true;
    this.idle = false;
  }
  async end() {
    this.ended = true;
    this.close();
  }
}

function pool(patienceMs: number) {
  const opened: Session[] = [];
  const sessions = new SessionPool(() => {
    const s = new Session(opened.length);
    opened.push(s);
    return s;
  }, patienceMs);
  const take = async () => {
    const s = await sessions.acquire();
    s.idle = false; // running a command
    return s;
  };
  const give = (s: Session) => {
    if (!s.closed) s.idle = true;
    sessions.release(s);
  };
  return { opened, take, give, sessions };
}

describe('SessionPool', () => {
  it('prewarm opens sessions at once, which commands running together then take without opening more', async () => {
    const { opened, take, sessions } = pool(100);
    sessions.prewarm(2);
    expect(opened).toHaveLength(2);
    const [a, b] = await Promise.all([take(), take()]);
    expect(new Set([a, b])).toEqual(new Set(opened));
    expect(opened).toHaveLength(2);
  });

  it('runs commands that follow each other in one session', async () => {
    const { opened, take, give } = pool(100);
    for (let i = 0; i < 3; i++) give(await take());
    expect(opened).toHaveLength(1);
  });

  it('hands a busy session to a command that waits, when it comes free within the patience', async () => {
    const { opened, take, give } = pool(1_000);
    const first = await take();
    const second = take();
    setTimeout(() => give(first), 20);
    expect(await second).toBe(first);
    expect(opened).toHaveLength(1);
  });

  it('opens another session when none comes free in time, and the first one is reused afterwards', async () => {
    const { opened, take, give } = pool(30);
    const busy = await take();
    const started = performance.now();
    const other = await take();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(other).not.toBe(busy);
    give(busy);
    give(other);
    await take();
    await take();
    expect(opened).toHaveLength(2);
  });

  it('closes a session that cannot serve again and never hands it out', async () => {
    const { opened, take, give } = pool(100);
    const broken = await take();
    broken.close();
    give(broken);
    const next = await take();
    expect(next).not.toBe(broken);
    expect(opened).toHaveLength(2);
  });

  it('drains by ending the idle sessions, and opens a new one for a later command', async () => {
    const { opened, take, give, sessions } = pool(100);
    const [a, b] = [await take(), await take()];
    give(a);
    await sessions.drain(1000);
    expect([a.ended, b.ended]).toEqual([true, false]);
    give(b);
    expect(await take()).toBe(b);
    expect(await take()).not.toBe(a);
    expect(opened).toHaveLength(3);
  });

  it('skips a session that died while idle', async () => {
    const { opened, take, give } = pool(100);
    const s = await take();
    give(s);
    s.close();
    expect(await take()).not.toBe(s);
    expect(opened).toHaveLength(2);
  });
});
