// A class of reference labs for the benchmark: brought up concurrently, torn down all together,
// and described to the grader as one inventory with one key (as an instructor's labs.yaml is).
import { execFile } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { labUp, type LabHandle } from '../labs/netns/api.ts';
import type { LabRef } from './contenders.ts';
import type { SshdProbe } from './lab-side.ts';

const execFileP = promisify(execFile);

export interface ClassLabs {
  handles: LabHandle[];
  /** Each lab with its own inventory, key and known_hosts (as `npm run lab -- up` wrote them). */
  labs: LabRef[];
  /** Every lab in one inventory, with a `.env` beside it naming one key and one known_hosts. */
  classInventoryPath: string;
  /** The same labs as LabRefs on the class key and known_hosts. */
  classLabs: LabRef[];
  upMs: number;
  /** Tears every lab down; safe to call more than once. */
  down(): Promise<void>;
}

function labName(index: number): string {
  return `bench-${String(index + 1).padStart(2, '0')}`;
}

export function probesOf(handle: LabHandle): SshdProbe[] {
  return (['vm1', 'router', 'vm3'] as const).map((role) => ({
    role,
    pidPath: handle.plan.sshd[role].pidPath,
    logPath: handle.plan.sshd[role].logPath,
  }));
}

function refOf(handle: LabHandle, keyPath: string, knownHostsPath: string, inventoryPath: string): LabRef {
  return {
    name: handle.name,
    inventoryPath,
    keyPath,
    knownHostsPath,
    management: {
      vm1: handle.addresses.vm1.management,
      router: handle.addresses.router.management,
      vm3: handle.addresses.vm3.management,
    },
  };
}

// Brings `count` good labs up at once. If any fails, those that came up are torn down and the
// first failure is thrown.
export async function classUp(count: number, scratch: string, log: (line: string) => void): Promise<ClassLabs> {
  const labsDir = join(scratch, 'labs');
  const started = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: count }, (_, i) => labUp({ name: labName(i), variant: 'good', labsDir })));
  const upMs = performance.now() - started;
  const handles = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  let downed: Promise<void> | undefined;
  const down = () =>
    (downed ??= Promise.allSettled(handles.map((h) => h.down())).then((results) => {
      const failed = results.filter((r) => r.status === 'rejected');
      if (failed.length > 0) log(`teardown: ${failed.length} lab(s) not fully torn down: ${String((failed[0] as PromiseRejectedResult).reason)}`);
    }));
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) {
    await down();
    throw (failure as PromiseRejectedResult).reason;
  }

  const classDir = join(scratch, 'class');
  const keyPath = join(classDir, 'id_ed25519');
  const knownHostsPath = join(classDir, 'known_hosts');
  const classInventoryPath = join(classDir, 'labs.yaml');
  try {
    await execFileP('mkdir', ['-p', classDir]);
    await execFileP('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'router-lab-grader-bench', '-f', keyPath]);
    const publicKey = (await readFile(`${keyPath}.pub`, 'utf8')).trim();
    for (const h of handles) await appendFile(h.plan.paths.authorizedKeys, `${publicKey}\n`);
    const knownHosts = await Promise.all(handles.map((h) => readFile(h.knownHostsPath, 'utf8')));
    await writeFile(knownHostsPath, knownHosts.join(''));
    const inventory = ['defaults:', '  user: root', '  port: 22', 'labs:'];
    for (const h of handles) {
      inventory.push(
        `  ${h.name}:`,
        `    vm1:    { address: ${h.addresses.vm1.management} }`,
        `    router: { address: ${h.addresses.router.management} }`,
        `    vm3:    { address: ${h.addresses.vm3.management} }`,
      );
    }
    await writeFile(classInventoryPath, `${inventory.join('\n')}\n`);
    await writeFile(join(classDir, '.env'), `GRADER_SSH_KEY=${keyPath}\nGRADER_KNOWN_HOSTS=${knownHostsPath}\n`);
  } catch (error) {
    await down();
    throw error;
  }
  return {
    handles,
    labs: handles.map((h) => refOf(h, h.keyPath, h.knownHostsPath, h.inventoryPath)),
    classInventoryPath,
    classLabs: handles.map((h) => refOf(h, keyPath, knownHostsPath, classInventoryPath)),
    upMs,
    down,
  };
}
