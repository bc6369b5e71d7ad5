// Grades a VM lab the way an instructor reaches a lab machine: an inventory naming only the
// hypervisor (this machine) and the domains, the VMs' addresses found by virsh.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LabReport } from '../../grader/core/lab-report.ts';
import type { CheckSpec } from '../../grader/config/check-file.ts';
import { credentialsFromEnv } from '../../grader/config/credentials-from-env.ts';
import { loadEnvironment } from '../../grader/config/environment.ts';
import { findLab, loadInventory } from '../../grader/config/inventory.ts';
import { gradeLab } from '../../grader/run/grade-lab.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import type { VmLabHandle } from './api.ts';

export async function gradeThroughHypervisor(lab: VmLabHandle, checks: CheckSpec[]): Promise<LabReport> {
  const dir = await mkdtemp(join(tmpdir(), 'rlg-vm-'));
  try {
    const inventory = join(dir, 'labs.yaml');
    const vm = { user: lab.user };
    await writeFile(inventory, stringify({ labs: { [lab.name]: { hypervisor: 'local', domains: lab.domains, vm1: vm, router: vm, vm3: vm } } }));
    return await gradeLab(findLab(await loadInventory(inventory), lab.name), checks, {
      credentials: credentialsFromEnv(loadEnvironment(lab.inventoryPath)),
      knownHosts: await KnownHosts.load(lab.knownHostsPath),
      hostKeyPolicy: 'strict',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
