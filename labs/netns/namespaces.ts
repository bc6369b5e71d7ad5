// Builds and removes a lab's namespaces, bridges and veths; looks at the root namespace read-only.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabPlan } from './plan.ts';
import { LabAbortedError } from '../kit/errors.ts';
import { run, tryRun } from '../kit/run.ts';

export async function existingNamespaces(): Promise<string[]> {
  const { stdout } = await run(['ip', 'netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

export async function linkExists(name: string, namespace?: string): Promise<boolean> {
  const argv = namespace ? ['ip', '-n', namespace, 'link', 'show', 'dev', name] : ['ip', 'link', 'show', 'dev', name];
  return (await tryRun(argv)).exitCode === 0;
}

/** Runs the plan's steps in order; stops (throwing) at the first failure or when `signal` aborts. */
export async function buildNetwork(
  plan: LabPlan,
  signal?: AbortSignal,
  onStep?: (argv: readonly string[]) => void,
): Promise<void> {
  for (const step of plan.steps) {
    if (signal?.aborted) throw new LabAbortedError(`lab '${plan.name}': interrupted`);
    onStep?.(step.argv);
    await run(step.argv, step.input);
  }
}

async function namespacePids(namespace: string): Promise<number[]> {
  const result = await tryRun(['ip', 'netns', 'pids', namespace]);
  if (result.exitCode !== 0) return [];
  return result.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Ends every process living in `namespace` (sshd, its sessions, an iperf3 the grader started):
 * SIGTERM by pid, then SIGKILL for those still there after a grace period.
 */
export async function endNamespaceProcesses(namespace: string, graceMs = 3000): Promise<void> {
  let pids = await namespacePids(namespace);
  if (pids.length === 0) return;
  for (const pid of pids) signalPid(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(100);
    pids = await namespacePids(namespace);
    if (pids.length === 0) return;
  }
  for (const pid of pids) signalPid(pid, 'SIGKILL');
  await sleep(100);
}

export interface NetworkNames {
  namespaces: string[];
  rootLink: string;
}

/** Removes what `buildNetwork` made; tolerates anything already gone. Returns what it could not remove. */
export async function destroyNetwork(names: NetworkNames): Promise<string[]> {
  const problems: string[] = [];
  const present = new Set(await existingNamespaces());
  const mine = names.namespaces.filter((ns) => present.has(ns));
  await Promise.all(mine.map((ns) => endNamespaceProcesses(ns)));
  // Deleting one end of a veth deletes both: the root namespace is clean before any namespace goes.
  if (await linkExists(names.rootLink)) {
    const result = await tryRun(['ip', 'link', 'del', 'dev', names.rootLink]);
    if (result.exitCode !== 0 && (await linkExists(names.rootLink))) {
      problems.push(`ip link del ${names.rootLink}: ${result.stderr.trim()}`);
    }
  }
  for (const ns of mine) {
    const result = await tryRun(['ip', 'netns', 'del', ns]);
    if (result.exitCode !== 0) problems.push(`ip netns del ${ns}: ${result.stderr.trim()}`);
  }
  return problems;
}

export function networkNames(plan: LabPlan): NetworkNames {
  const { hv, vm1, router, vm3 } = plan.namespaces;
  return { namespaces: [vm1, router, vm3, hv], rootLink: plan.rootLink.name };
}
