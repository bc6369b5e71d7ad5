import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { findLab, loadInventory } from './inventory.ts';

describe('the inventory', () => {
  it('applies defaults and per-VM overrides', async () => {
    const inventory = await loadInventory('fixtures/inventories/two-labs.yaml');
    const lab = findLab(inventory, 'lab42');
    expect(lab.vms.vm1).toEqual({ host: '192.168.122.11', port: 22, user: 'student' });
    expect(lab.vms.router).toEqual({ host: '192.168.122.12', port: 22, user: 'root' });
    expect(lab.vms.vm3).toEqual({ host: '192.168.122.13', port: 2222, user: 'student' });
    expect(lab.jump).toEqual({ host: 'lab42.example.edu', port: 22, user: 'grader' });
    expect(findLab(inventory, 'lab43').jump).toBeUndefined();
  });

  it('refuses an unknown lab, naming the known ones', async () => {
    const inventory = await loadInventory('fixtures/inventories/two-labs.yaml');
    expect(() => findLab(inventory, 'lab44')).toThrow("unknown lab 'lab44': fixtures/inventories/two-labs.yaml has lab42, lab43");
  });

  it('refuses secrets, saying where they belong, and never echoes them', async () => {
    const error = await loadInventory('fixtures/inventories/with-password.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect(text).toMatch(/with-password\.yaml:3:\d+: \/labs\/lab42\/vm1\/password: secrets do not belong in the inventory; set GRADER_SSH/);
    expect(text).not.toContain('hunter2');
  });
});

describe('a broken inventory', () => {
  it('lists the misspelt key beside the secret', async () => {
    const error = (await loadInventory('fixtures/inventories/with-password.yaml').catch((e: unknown) => e)) as ConfigError;
    expect(error.problems).toHaveLength(2);
    expect(error.problems[1]).toMatch(/with-password\.yaml:5:\d+: \/labs\/lab42\/vm3\/adress: unknown property 'adress'/);
  });
});
