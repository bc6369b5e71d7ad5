// A test process killed while its lab is up (Ctrl-C on vitest, which exits at once; a CI job's
// timeout) leaves nothing behind: the lab's owner watch (labs/kit/owner-watch.ts)
// sees the process gone and tears the lab down. Here a child process brings a lab up under
// RLG_TEAR_DOWN_WITH_PROCESS=1, as the integration tests run, and is killed with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TEAR_DOWN_WITH_PROCESS } from '../../labs/kit/owner-watch.ts';
import { labDown } from '../../labs/netns/api.ts';
import { existingNamespaces } from '../../labs/netns/namespaces.ts';
import { slotOwner } from '../../labs/netns/state.ts';
import { vmLabDown } from '../../labs/libvirt/api.ts';
import { domainUuid, networkUuid } from '../../labs/libvirt/libvirt.ts';
import { slotOwner as vmSlotOwner } from '../../labs/libvirt/state.ts';
import { REPO } from '../support/run-cli.ts';

interface Held {
  stateDir: string;
  slot: number;
  namespaces?: string[];
  domains?: string[];
  networks?: string[];
}

// Starts `up-and-hold.ts KIND NAME`; resolves with what it printed once the lab is up.
// The test's own teardown, should the watch fail: the child killed, the lab torn down if still there.
function upAndHold(kind: 'reference' | 'vm', name: string): Promise<{ child: ChildProcess; held: Held }> {
  onTestFinished(async () => {
    child.kill('SIGKILL');
    await (kind === 'vm' ? vmLabDown(name) : labDown(name)).catch(() => undefined);
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/up-and-hold.ts', kind, name], {
    cwd: REPO,
    env: { ...process.env, [TEAR_DOWN_WITH_PROCESS]: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child, held: JSON.parse(out.split('\n')[0]!) as Held });
    });
    child.on('exit', (code) => reject(new Error(`up-and-hold ${kind} exited (${code}) before the lab was up: ${err.slice(-2000)}`)));
  });
}

// What of the lab is still there, polled until nothing is or `ms` have passed.
async function remainsAfter(ms: number, remains: () => Promise<string[]>): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = await remains();
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(1000);
  }
}

describe('a lab whose test process is killed is torn down by its owner watch', () => {
  it('reference lab: namespaces, slot claim and state directory gone', async () => {
    const { child, held } = await upAndHold('reference', `ow${process.pid % 10000}`);
    expect((await existingNamespaces()).filter((ns) => held.namespaces!.includes(ns))).toHaveLength(4);
    child.kill('SIGKILL');
    const left = await remainsAfter(60_000, async () => [
      ...(await existingNamespaces()).filter((ns) => held.namespaces!.includes(ns)),
      ...(existsSync(held.stateDir) ? [held.stateDir] : []),
      ...((await slotOwner(held.slot)) === held.stateDir ? [`slot ${held.slot}`] : []),
    ]);
    expect(left).toEqual([]);
  }, 180_000);

  it('VM lab (busybox guests): domains, networks, slot claim and state directory gone', async () => {
    const { child, held } = await upAndHold('vm', `owv${process.pid % 10000}`);
    expect(await Promise.all(held.domains!.map(domainUuid))).not.toContain(undefined);
    child.kill('SIGKILL');
    const left = await remainsAfter(120_000, async () => [
      ...(await Promise.all(held.domains!.map(async (d) => ((await domainUuid(d)) === undefined ? [] : [`domain ${d}`])))).flat(),
      ...(await Promise.all(held.networks!.map(async (n) => ((await networkUuid(n)) === undefined ? [] : [`network ${n}`])))).flat(),
      ...(existsSync(held.stateDir) ? [held.stateDir] : []),
      ...((await vmSlotOwner(held.slot)) === held.stateDir ? [`slot ${held.slot}`] : []),
    ]);
    expect(left).toEqual([]);
  }, 600_000);
});
