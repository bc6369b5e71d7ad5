import { describe, expect, it } from 'vitest';
import { BusyError, GradingQueue } from './grading-queue.ts';
import { RateLimit } from './rate-limit.ts';
import { MAX_REQUEST_BYTES, parseSubmitRequest } from './submit-request.ts';

const vms = { vm1: { host: '192.168.122.10', port: 22, user: 'student' }, router: { host: '192.168.122.11', port: 22, user: 'student' }, vm3: { host: '192.168.122.12', port: 2222, user: 'student' } };
const request = (body: unknown) => `submit ${JSON.stringify(body)}`;

describe('a submit request from a student machine', () => {
  it('is read field by field', () => {
    expect(parseSubmitRequest(request({ lab: 'nc07', vms, color: true, width: 100 }))).toEqual({ lab: 'nc07', vms, color: true, width: 100 });
    expect(parseSubmitRequest(request({ vms }))).toEqual({ vms, color: false });
    const domains = { vm1: 'lab-vm1', router: 'lab-router', vm3: 'lab-vm3' };
    expect(parseSubmitRequest(request({ vms, domains }))).toEqual({ vms, domains, color: false });
  });

  it('is refused, with one printable line, when anything in it is not what it should be', () => {
    expect(parseSubmitRequest('bash -c id')).toMatch(/runs only 'submit'/);
    expect(parseSubmitRequest('submit {')).toBe('the request is not JSON');
    expect(parseSubmitRequest(request({ lab: 'nc07\u001b[31m', vms }))).toBe("the lab name 'nc07' is not one (letters, digits, '.', '_', '-')");
    expect(parseSubmitRequest(request({ vms: { ...vms, router: { ...vms.router, host: 'a;rm -rf /' } } }))).toBe('router: the host is not an address or a host name');
    expect(parseSubmitRequest(request({ vms: { ...vms, vm3: { ...vms.vm3, port: 70000 } } }))).toBe('vm3: the port is not 1-65535');
    expect(parseSubmitRequest(request({ vms: { ...vms, vm1: { ...vms.vm1, user: '$(id)' } } }))).toBe('vm1: the user is not a login name');
    expect(parseSubmitRequest(request({ vms: { ...vms, vm3: vms.vm1 } }))).toBe('two VMs have the same address and port');
    expect(parseSubmitRequest(request({ vms, pad: 'x'.repeat(MAX_REQUEST_BYTES) }))).toMatch(/longer than 4096 bytes/);
    expect(parseSubmitRequest(request({ vms, domains: { vm1: 'a', router: 'b' } }))).toBe("vm3: the domain is not a libvirt domain name (letters, digits, '.', '_', '+', '-')");
    expect(parseSubmitRequest(request({ vms, domains: { vm1: 'a', router: '$(id)', vm3: 'c' } }))).toMatch(/^router: the domain is not/);
  });
});

describe('a rate limit', () => {
  it('allows `limit` events per window and key, then says how long to wait', () => {
    const limit = new RateLimit(2, 1000);
    expect(limit.take('a', 0)).toBe(0);
    expect(limit.take('a', 100)).toBe(0);
    expect(limit.take('a', 200)).toBe(800);
    expect(limit.take('b', 200)).toBe(0);
    expect(limit.waitFor('a', 1000)).toBe(0);
    expect(limit.take('a', 1000)).toBe(0);
  });
});

describe('the grading queue', () => {
  it('runs up to its bound at once, tells the waiting their place, and one grading per student', async () => {
    const queue = new GradingQueue(1);
    const places: Record<string, number[]> = { a: [], b: [], c: [] };
    const releases: Array<() => void> = [];
    const grading = (key: string) => ({ onPlace: (p: number) => places[key]!.push(p), run: () => new Promise<string>((resolve) => releases.push(() => resolve(key))) });
    const a = queue.enqueue('a', grading('a'));
    const b = queue.enqueue('b', grading('b'));
    const c = queue.enqueue('c', grading('c'));
    await expect(queue.enqueue('b', grading('b'))).rejects.toBeInstanceOf(BusyError);
    expect([queue.active, queue.queued]).toEqual([1, 2]);
    releases.shift()!();
    expect(await a).toBe('a');
    await Promise.resolve();
    releases.shift()!();
    expect(await b).toBe('b');
    await Promise.resolve();
    releases.shift()!();
    expect(await c).toBe('c');
    expect(places).toEqual({ a: [], b: [1], c: [2, 1] });
  });

  it('drops a waiting grading whose student went away', async () => {
    const queue = new GradingQueue(1);
    let release!: () => void;
    const first = queue.enqueue('a', { onPlace: () => undefined, run: () => new Promise<void>((r) => (release = r)) });
    const gone = new AbortController();
    const waiting = queue.enqueue('b', { onPlace: () => undefined, run: async () => 'ran' }, gone.signal);
    gone.abort(new Error('disconnected'));
    await expect(waiting).rejects.toThrow('disconnected');
    expect(queue.queued).toBe(0);
    release();
    await first;
  });
});
