// A lab's inventory names the generation of its slot's claim; the grader refuses the inventory once
// the slot was claimed anew (or freed): exit 2, naming the lab and the inventory to use instead.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/run-cli.ts';
import { ConfigError } from './config-error.ts';
import { loadInventory } from './inventory.ts';
import { refuseStaleLabs, staleOrigin } from './lab-origin.ts';
import { resolveLab } from './resolve-lab.ts';

const dir = mkdtempSync(join(tmpdir(), 'rlg-origin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const claim = join(dir, 'slots', '3');
mkdirSync(claim, { recursive: true });
const inventoryPath = join(dir, 'inventory.yaml');
writeFileSync(
  inventoryPath,
  [
    'labs:',
    '  demo:',
    `    origin: { provider: netns, claim: ${JSON.stringify(claim)}, generation: "a1b2c3d4e5f6" }`,
    '    vm1: { address: 127.0.0.1, port: 1 }',
    '    router: { address: 127.0.0.1, port: 1 }',
    '    vm3: { address: 127.0.0.1, port: 1 }',
    '  plain:',
    '    vm1: { address: 127.0.0.1, port: 1 }',
    '    router: { address: 127.0.0.1, port: 1 }',
    '    vm3: { address: 127.0.0.1, port: 1 }',
    '',
  ].join('\n'),
);
const claimedAs = (generation: string | undefined) => {
  rmSync(join(claim, 'generation'), { force: true });
  if (generation !== undefined) writeFileSync(join(claim, 'generation'), `${generation}\n`);
};

describe("a lab's origin", () => {
  it('is read from the inventory, by lab', async () => {
    const inventory = await loadInventory(inventoryPath);
    expect(inventory.origins?.get('demo')).toEqual({ provider: 'netns', claim, generation: 'a1b2c3d4e5f6' });
    expect(inventory.origins?.has('plain')).toBe(false);
  });

  it('lets the lab be graded while its slot holds the same claim', async () => {
    claimedAs('a1b2c3d4e5f6');
    expect((await resolveLab(inventoryPath, 'demo')).name).toBe('demo');
  });

  it('refuses it once the slot is claimed anew or freed, naming the lab and the inventory to use', async () => {
    claimedAs('0f0f0f0f0f0f');
    const error = await resolveLab(inventoryPath, 'demo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/lab 'demo' .*earlier `npm run lab -- up`.*now holds another lab.*the inventory the new `up` printed/);
    claimedAs(undefined);
    expect(staleOrigin('demo', 'x.yaml', { provider: 'libvirt', claim, generation: 'ab12' }, undefined)).toMatch(/`npm run vmlab -- up`.*its slot is free/);
    // A lab without an origin (a student's own) is never refused.
    await expect(refuseStaleLabs(await loadInventory(inventoryPath), ['plain'])).resolves.toBeUndefined();
  });

  it('the command line: exit 2 and one line, no stack trace', async () => {
    claimedAs('0f0f0f0f0f0f');
    // Its VMs are loopback port 1: nothing is reached, whatever happens; no namespace (root) needed.
    const run = await runCli(['--host', 'demo', '--inventory', inventoryPath, '--out', join(dir, 'out')], {}, dir);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/lab 'demo' .*grade with the inventory the new `up` printed/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
