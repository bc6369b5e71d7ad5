import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ed25519KeyPair } from '../../test/support/ssh-keys.ts';
import { testDir } from '../../test/support/test-files.ts';
import { ConfigError } from './config-error.ts';
import { findLab, loadInventory } from './inventory.ts';
import { labCredentials } from './lab-credentials.ts';

const keyText = ed25519KeyPair().private;

async function classInventory(dir: string): Promise<string> {
  const path = join(dir, 'labs.yaml');
  await writeFile(join(dir, 'nc07.key'), keyText);
  await writeFile(join(dir, 'nc08.password'), 'pw-of-nc08\nignored\n');
  const vms = '    vm1: { address: 10.0.0.1 }\n    router: { address: 10.0.0.2 }\n    vm3: { address: 10.0.0.3 }\n';
  await writeFile(
    path,
    'labs:\n' +
      `  nc07:\n    credentials: { keyFile: nc07.key }\n${vms}` +
      `  nc08:\n    credentials: { passwordFile: nc08.password }\n${vms.replace('vm3: { address: 10.0.0.3 }', 'vm3: { address: 10.0.0.3, credentials: { passwordEnv: NC08_VM3_PASSWORD } }')}` +
      `  nc09:\n${vms}`,
  );
  return path;
}

describe('per-lab credentials', () => {
  it('are pointers in the inventory (not refused as secrets), read for the labs graded, VM over lab over GRADER_SSH_*', async () => {
    const dir = await testDir('rlg-creds-');
    const inventory = await loadInventory(await classInventory(dir));
    const labs = ['nc07', 'nc08', 'nc09'].map((name) => findLab(inventory, name));
    expect(labs[0]!.credentials).toMatchObject({ keyFile: join(dir, 'nc07.key'), where: expect.stringMatching(/labs\.yaml:3:\d+: \/labs\/nc07\/credentials$/) });
    let fallbackCalls = 0;
    const fallback = () => {
      fallbackCalls++;
      return { password: 'class-wide' };
    };
    const credentialsFor = labCredentials(labs, { NC08_VM3_PASSWORD: 'pw-of-nc08-vm3' }, fallback);
    expect(credentialsFor(labs[0]!, 'router').privateKey?.toString()).toBe(keyText);
    expect(credentialsFor(labs[0]!, 'router').origin?.key).toBe(`${join(dir, 'nc07.key')} from the inventory`);
    expect(credentialsFor(labs[1]!, 'vm1')).toMatchObject({ password: 'pw-of-nc08' });
    expect(credentialsFor(labs[1]!, 'vm3')).toMatchObject({ password: 'pw-of-nc08-vm3', origin: { password: 'NC08_VM3_PASSWORD' } });
    expect(credentialsFor(labs[2]!, 'vm1')).toEqual({ password: 'class-wide' });
    expect(fallbackCalls).toBe(1);
  });

  it("takes ~/ as the home directory, other relative paths from the inventory's directory", async () => {
    const dir = await testDir('rlg-creds-');
    const path = join(dir, 'labs.yaml');
    await writeFile(path, 'labs:\n  a:\n    credentials: { keyFile: ~/.ssh/lab, passwordFile: pw }\n    hypervisor: local\n');
    const { homedir } = await import('node:os');
    expect(findLab(await loadInventory(path), 'a').credentials).toMatchObject({ keyFile: join(homedir(), '.ssh/lab'), passwordFile: join(dir, 'pw') });
  });

  it('GRADER_SSH_* is not needed when every lab graded has its own', async () => {
    const dir = await testDir('rlg-creds-');
    const inventory = await loadInventory(await classInventory(dir));
    const fallback = () => {
      throw new ConfigError(['no SSH credentials']);
    };
    expect(() => labCredentials([findLab(inventory, 'nc07')], {}, fallback)).not.toThrow();
    expect(() => labCredentials([findLab(inventory, 'nc09')], {}, fallback)).toThrow('no SSH credentials');
  });

  it('a missing key file or variable is a configuration error naming the place in the inventory, never a secret', async () => {
    const dir = await testDir('rlg-creds-');
    const path = await classInventory(dir);
    await writeFile(join(dir, 'nc07.key'), 'not a key');
    const inventory = await loadInventory(path);
    const error = (() => {
      try {
        labCredentials(['nc07', 'nc08'].map((name) => findLab(inventory, name)), {}, () => ({}));
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(error.problems).toEqual([
      expect.stringMatching(new RegExp(`labs\\.yaml:3:\\d+: /labs/nc07/credentials/keyFile: the private key ${join(dir, 'nc07.key')} cannot be used: it is not a private key \\(OpenSSH or PEM format\\)$`)),
      expect.stringMatching(/labs\.yaml:\d+:\d+: \/labs\/nc08\/vm3\/credentials: passwordEnv names NC08_VM3_PASSWORD, which is not set in the environment or \.env$/),
    ]);
    expect(error.problems.join('\n')).not.toContain('pw-of-nc08');
  });

  it('an inventory still refuses a secret put beside the pointers', async () => {
    const dir = await testDir('rlg-creds-');
    const path = join(dir, 'labs.yaml');
    await writeFile(path, 'labs:\n  a:\n    credentials: { passwordEnv: A_PW, password: hunter2 }\n    vm1: { address: 10.0.0.1 }\n    router: { address: 10.0.0.2 }\n    vm3: { address: 10.0.0.3 }\n');
    const error = (await loadInventory(path).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems).toEqual([expect.stringMatching(/\/labs\/a\/credentials\/password: secrets do not belong in the inventory/)]);
    expect(error.problems.join('\n')).not.toContain('hunter2');
  });
});
