// A class of simulated labs behind one inventory, one key and one known_hosts file, as an
// instructor's class would be: for scale tests and the class benchmark.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadCheckFile, type CheckSpec } from '../../grader/config/check-file.ts';
import { loadInventory } from '../../grader/config/inventory.ts';
import { type LabTarget } from '../../grader/transport/targets.ts';
import { ROLES } from '../../grader/core/roles.ts';
import { startSimulatedLab, type SimulatedLab } from './simulated-lab/simulated-lab.ts';
import { REPO } from './run-cli.ts';

export interface SimulatedClass {
  labs: SimulatedLab[];
  targets: LabTarget[];
  inventoryPath: string;
  keyPath: string;
  knownHostsPath: string;
  stop(): Promise<void>;
}

export async function startSimulatedClass(size: number, prefix: string): Promise<SimulatedClass> {
  const labs = await Promise.all(Array.from({ length: size }, (_, i) => startSimulatedLab({ name: `${prefix}-${String(i).padStart(3, '0')}` })));
  const dir = await mkdtemp(join(tmpdir(), 'rlg-simclass-'));
  const entries = Object.fromEntries(
    labs.map((lab) => [lab.name, Object.fromEntries(ROLES.map((r) => [r, { address: lab.endpoints[r].host, port: lab.endpoints[r].port, user: lab.endpoints[r].user }]))]),
  );
  const inventoryPath = join(dir, 'labs.yaml');
  await writeFile(inventoryPath, stringify({ labs: entries }));
  // Every simulated lab shares the hub's client key and host keys: the first lab's files serve all.
  const knownHostsPath = join(dir, 'known_hosts');
  await writeFile(knownHostsPath, await readFile(labs[0]!.knownHostsPath, 'utf8'));
  const inventory = await loadInventory(inventoryPath);
  return {
    labs,
    targets: labs.map((lab) => inventory.labs.get(lab.name)!),
    inventoryPath,
    keyPath: labs[0]!.keyPath,
    knownHostsPath,
    async stop() {
      await Promise.all(labs.map((lab) => lab.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The exercise's checks with a one-second iperf: the simulation's measurement lasts as long.
export async function quickChecks(): Promise<CheckSpec[]> {
  const checks = await loadCheckFile(join(REPO, 'checks', 'exercise.yaml'));
  return checks.map((c) => (c.kind.kind === 'iperf' ? { ...c, params: { ...c.params, durationSeconds: 1 } } : c));
}
