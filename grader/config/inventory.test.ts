import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { findLab, loadInventory } from './inventory.ts';
import { testDir } from '../../test/support/test-files.ts';

describe('the inventory', () => {
  it('applies defaults and per-VM overrides', async () => {
    const inventory = await loadInventory('fixtures/inventories/two-labs.yaml');
    const lab = findLab(inventory, 'lab42');
    expect(lab.vms.vm1).toEqual({ host: '192.168.122.11', port: 22, user: 'student', domain: 'vm1' });
    expect(lab.vms.router).toEqual({ host: '192.168.122.12', port: 22, user: 'root', domain: 'router' });
    expect(lab.vms.vm3).toEqual({ host: '192.168.122.13', port: 2222, user: 'student', domain: 'vm3' });
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

describe("an instructor's inventory", () => {
  it('labs.yaml (the addresses of students\' VMs) and .env are ignored by git', async () => {
    const { execFileSync } = await import('node:child_process');
    const run = (file: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', file]);
        return true;
      } catch {
        return false;
      }
    };
    expect([run('labs.yaml'), run('.env'), run('labs.example.yaml'), run('.env.example')]).toEqual([true, true, false, false]);
  });
});

describe('a broken inventory', () => {
  it('lists the misspelt key beside the secret', async () => {
    const error = (await loadInventory('fixtures/inventories/with-password.yaml').catch((e: unknown) => e)) as ConfigError;
    expect(error.problems).toHaveLength(2);
    expect(error.problems[1]).toMatch(/with-password\.yaml:5:\d+: \/labs\/lab42\/vm3\/adress: unknown property 'adress' \(did you mean 'address'\?\)/);
  });

  it('refuses an address that looks like a mistyped IPv4 address instead of looking it up as a host name', async () => {
    const { writeFile } = await import('node:fs/promises');
    const path = `${await testDir('rlg-inv-')}/labs.yaml`;
    const lab = (vm1: string) => `    vm1: { address: ${vm1} }\n    router: { address: 10.122.4.2 }\n    vm3: { address: vm3.example.edu }\n`;
    await writeFile(path, `labs:\n  nc07:\n${lab('10.122.4.1111')}  nc08:\n${lab('10.122.4')}  nc09:\n${lab('10.122.4.11')}`);
    const error = (await loadInventory(path).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([
      expect.stringMatching(/labs\.yaml:3:\d+: \/labs\/nc07\/vm1\/address: '10\.122\.4\.1111' is not an IPv4 address .*a typo\?$/),
      expect.stringMatching(/labs\.yaml:7:\d+: \/labs\/nc08\/vm1\/address: '10\.122\.4' is not an IPv4 address/),
    ]);
  });

  it('suggests the property meant only when one is close', async () => {
    const { closestProperty } = await import('./validate.ts');
    expect(closestProperty('adress', ['address', 'user', 'port'])).toBe('address');
    expect(closestProperty('usr', ['address', 'user', 'port'])).toBe('user');
    expect(closestProperty('hostname', ['address', 'user', 'port'])).toBeUndefined();
  });
});

describe('labs graded through their hypervisor', () => {
  it('reads a remote hypervisor and a local one with domain names, addresses left to discovery', async () => {
    const error = (await loadInventory('fixtures/inventories/hypervisors.yaml').catch((e: unknown) => e)) as ConfigError;
    // The lab without a hypervisor lacks addresses: each missing one is named.
    expect(error.problems).toEqual([
      expect.stringMatching(/hypervisors\.yaml:\d+:\d+: \/labs\/broken\/router: needs an address \(or give the lab a hypervisor to find it\)/),
      expect.stringMatching(/\/labs\/broken\/vm3: needs an address/),
    ]);
  });

  it('keeps users and domain names for discovery through the hypervisor', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { readFileSync } = await import('node:fs');
    const path = join(await testDir('rlg-inv-'), 'labs.yaml');
    await writeFile(path, readFileSync('fixtures/inventories/hypervisors.yaml', 'utf8').split('  broken:')[0]!);
    const inventory = await loadInventory(path);
    const lab42 = findLab(inventory, 'lab42');
    expect(lab42.hypervisor).toEqual({ endpoint: { host: 'lab42.example.edu', port: 22, user: 'grader' }, uri: 'qemu:///system' });
    expect(lab42.vms.router).toEqual({ host: undefined, port: 22, user: 'root', domain: 'router' });
    const mylab = findLab(inventory, 'mylab');
    expect(mylab.hypervisor).toEqual({ uri: 'qemu:///system' });
    expect(mylab.vms.vm3.domain).toBe('ubuntu-vm3');
  });

  it('refuses lab names whose report files would collide with another lab\'s or with a class file', async () => {
    const error = await loadInventory('fixtures/inventories/colliding-names.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const at = (line: number) => `fixtures/inventories/colliding-names.yaml:${line}:\\d+`;
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${at(4)}: /labs/rt1-: its reports \\(rt1\\.json, rt1\\.xml\\) would overwrite those of lab rt1 \\(line 3\\): rename one of them$`)),
      expect.stringMatching(new RegExp(`^${at(5)}: /labs/rt1--: its reports \\(rt1\\.json, rt1\\.xml\\) would overwrite those of lab rt1 \\(line 3\\)`)),
      expect.stringMatching(new RegExp(`^${at(7)}: /labs/rt2: its reports \\(rt2\\.json, rt2\\.xml\\) would overwrite those of lab RT2 \\(line 6\\) where file names ignore case`)),
      expect.stringMatching(new RegExp(`^${at(8)}: /labs/class: its reports \\(class\\.json, class\\.xml\\) would take the name of the class reports \\(class\\.xml, `)),
      expect.stringMatching(new RegExp(`^${at(9)}: /labs/Gradebook: its reports \\(Gradebook\\.json, Gradebook\\.xml\\) would take the name of the class reports`)),
    ]);
  });
});

