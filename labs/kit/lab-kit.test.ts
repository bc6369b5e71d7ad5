import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../../test/support/test-files.ts';
import { LabAbortedError } from './errors.ts';
import { invalidLabName, isLabName } from './lab-name.ts';
import { checkSlot } from './slot.ts';
import { downEach } from './down-each.ts';
import { undoFailedUp } from './failed-up.ts';
import { gradeCommand } from './grade-command.ts';
import { ownedBy, TEAR_DOWN_WITH_PROCESS, watchOwner } from './owner-watch.ts';
import { labOrigin, slotClaims } from './slot-claims.ts';
import { slotListing } from './slot-listing.ts';
import { inventoryText } from './grader-files.ts';
import { loadInventory } from '../../grader/config/inventory.ts';
import { REPO } from '../../test/support/run-cli.ts';

describe('lab-kit', () => {
  it('accepts 1-32 characters of a-z, 0-9 and -, nothing else', () => {
    for (const good of ['demo', 'vmdemo', 'lab-7', 'a', 'x'.repeat(32)]) expect(isLabName(good)).toBe(true);
    for (const bad of ['', 'x'.repeat(33), 'Demo', 'lab_7', 'lab 7', '../demo', 'lab.7']) expect(isLabName(bad)).toBe(false);
    expect(invalidLabName('Demo')).toBe("invalid lab name 'Demo': use 1-32 characters of a-z, 0-9 and '-'");
  });

  it('checks a slot against the number of slots', () => {
    expect(() => checkSlot(0, 200)).not.toThrow();
    expect(() => checkSlot(199, 200)).not.toThrow();
    expect(() => checkSlot(200, 200)).toThrow('slot must be an integer in 0..199, got 200');
    expect(() => checkSlot(-1, 200)).toThrow(/got -1/);
    expect(() => checkSlot(1.5, 200)).toThrow(/got 1.5/);
  });

  it('tears down every lab, going on past those that fail', async () => {
    const tried: string[] = [];
    const result = await downEach(['a', 'b', 'c', 'd'], async (name) => {
      tried.push(name);
      if (name === 'b') throw new Error('b: namespace busy');
      if (name === 'c') throw 'c: not an Error';
    });
    expect(tried).toEqual(['a', 'b', 'c', 'd']);
    expect(result).toEqual({ removed: ['a', 'd'], failures: ['b: namespace busy', 'c: not an Error'] });
  });

  it('claims the lowest free slot, skips a vetoed one, releases only its own claim', async () => {
    const dir = join(await testDir('rlg-slots-'), 'slots');
    const claims = slotClaims(dir, 3);
    expect(await claims.list()).toEqual([]);
    expect(await claims.claim('/labs/a', async () => true)).toBe(0);
    expect(await claims.claim('/labs/b', async (slot) => slot !== 1)).toBe(2);
    expect(existsSync(join(dir, '1'))).toBe(false);
    expect(await claims.claim('/labs/c', async () => true)).toBe(1);
    expect(await claims.claim('/labs/d', async () => true)).toBeUndefined();
    expect(await claims.list()).toEqual([
      { slot: 0, owner: '/labs/a' },
      { slot: 1, owner: '/labs/c' },
      { slot: 2, owner: '/labs/b' },
    ]);
    expect(await claims.ownedBy('/labs/b')).toBe(2);
    await claims.release(2, '/labs/a');
    expect(await claims.owner(2)).toBe('/labs/b');
    await claims.release(2, '/labs/b');
    expect(await claims.owner(2)).toBeUndefined();
    expect(await claims.ownedBy('/labs/b')).toBeUndefined();
  });

  it('prints the grade command with the inventory as typed from where the user stands', () => {
    expect(gradeCommand('demo', '/repo/.lab/demo/inventory.yaml', '/repo')).toBe('npm run grade -- --host demo --inventory .lab/demo/inventory.yaml');
    expect(gradeCommand('demo', '/repo/.lab/demo/inventory.yaml', '/repo/grader')).toBe('npm run grade -- --host demo --inventory ../.lab/demo/inventory.yaml');
    expect(gradeCommand('x', '/my labs/x/inventory.yaml', '/')).toBe("npm run grade -- --host x --inventory 'my labs/x/inventory.yaml'");
  });

  describe('a failed up', () => {
    async function failedUp(error: unknown, aborted: boolean) {
      const stateDir = join(await testDir('rlg-failed-'), 'lab');
      await mkdir(stateDir);
      await writeFile(join(stateDir, 'state.json'), '{}');
      const lines: string[] = [];
      const done: string[] = [];
      const controller = new AbortController();
      if (aborted) controller.abort();
      const thrown = await undoFailedUp({
        what: "lab 'x'",
        error,
        signal: controller.signal,
        log: (line) => lines.push(line),
        stateDir,
        undo: async () => (done.push('undo'), ['namespace rlg-1-vm1 busy']),
        releaseSlot: async () => void done.push('slot'),
      }).catch((e: unknown) => e);
      return { thrown, lines, done, stateLeft: existsSync(stateDir) };
    }

    it('undoes what was built, frees the slot and the state, and throws the error again', async () => {
      const error = new Error('sshd did not start');
      const run = await failedUp(error, false);
      expect(run.thrown).toBe(error);
      expect(run.done).toEqual(['undo', 'slot']);
      expect(run.stateLeft).toBe(false);
      expect(run.lines).toEqual(['up failed, tearing down what was built: sshd did not start', 'teardown: namespace rlg-1-vm1 busy']);
    });

    it('reads as an interruption when it was one, whatever the step raised', async () => {
      const run = await failedUp(new Error('ip netns exec: killed'), true);
      expect(run.thrown).toBeInstanceOf(LabAbortedError);
      expect((run.thrown as Error).message).toBe("lab 'x': interrupted");
      expect(run.lines[0]).toBe('interrupted: tearing down what was built');
      expect(run.stateLeft).toBe(false);
    });
  });

  describe("an owner watch", () => {
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = async (ok: () => boolean, ms: number) => {
      for (const deadline = Date.now() + ms; !ok() && Date.now() < deadline; ) await sleep(100);
      return ok();
    };

    it('is not started unless RLG_TEAR_DOWN_WITH_PROCESS=1 (a command-line up outlives its process)', async () => {
      const stateDir = await testDir('rlg-watch-');
      const watch = watchOwner(stateDir, '/nonexistent/reap.ts', [], {});
      expect(watch.pid).toBeUndefined();
      expect(existsSync(join(stateDir, 'owner-pid'))).toBe(false);
      expect(ownedBy(stateDir, process.pid)).toBe(false);
    });

    it('names its owner in the state directory, and stops when the lab is torn down normally', async () => {
      const stateDir = await testDir('rlg-watch-');
      const watch = watchOwner(stateDir, '/nonexistent/reap.ts', [], { [TEAR_DOWN_WITH_PROCESS]: '1' });
      const pid = watch.pid!;
      expect(alive(pid)).toBe(true);
      expect(ownedBy(stateDir, process.pid)).toBe(true);
      expect(ownedBy(stateDir, process.pid + 1)).toBe(false);
      watch.stop();
      expect(watch.pid).toBeUndefined();
      expect(await until(() => !alive(pid), 5000)).toBe(true);
    });

    it('runs the reap script with the owner\'s pid once the owner is killed', async () => {
      const dir = await testDir('rlg-watch-');
      const out = join(dir, 'reaped');
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/watch-and-hold.ts', dir, out], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
      const line = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
      expect(line).toMatch(/^watching \d+\n$/);
      await sleep(1500);
      expect(existsSync(out)).toBe(false);
      child.kill('SIGKILL');
      expect(await until(() => existsSync(out), 15_000)).toBe(true);
      expect(readFileSync(out, 'utf8')).toBe(`${child.pid} ${out}\n`);
    }, 30_000);
  });
});

describe("a slot claim's generation, named by the lab's inventory", () => {
  it('is new at every claim of the slot and gone with the claim', async () => {
    const claims = slotClaims(join(await testDir('rlg-generation-'), 'slots'), 4);
    expect(await claims.claim('/labs/a', async () => true)).toBe(0);
    const first = await labOrigin(claims, 'netns', 0);
    expect(first).toMatchObject({ provider: 'netns', claim: claims.claimDir(0), generation: expect.stringMatching(/^[0-9a-f]{12}$/) });
    await claims.release(0, '/labs/a');
    expect(await claims.generation(0)).toBeUndefined();
    expect(await claims.claim('/labs/b', async () => true)).toBe(0);
    expect((await labOrigin(claims, 'netns', 0))!.generation).not.toBe(first!.generation);
  });

  it('is written into the inventory, where the grader reads it', async () => {
    const origin = { provider: 'libvirt' as const, claim: '/run/x/slots/3', generation: 'abc123def456' };
    const text = inventoryText('demo', [], { vm1: '10.0.0.2', router: '10.0.0.3', vm3: '10.0.0.4' }, { user: 'root' }, origin);
    const path = join(await testDir('rlg-generation-'), 'inventory.yaml');
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    expect((await loadInventory(path)).origins?.get('demo')).toEqual(origin);
  });
});

describe('list: the machine-wide slots, the same for lab and vmlab', () => {
  it('names each claim and its owner, and says which are stale and how to clean them', () => {
    expect(slotListing([])).toEqual([]);
    expect(
      slotListing([
        { slot: 0, owner: '/srv/a/.lab/demo', stale: false },
        { slot: 1, owner: undefined, stale: false },
        { slot: 4, owner: '/srv/gone/.lab/x', stale: true },
      ]),
    ).toEqual(['machine-wide slots:', '  0\t/srv/a/.lab/demo', '  1\t(being claimed)', '  4\t/srv/gone/.lab/x\tSTALE: owner gone, down --all cleans it']);
  });

});
