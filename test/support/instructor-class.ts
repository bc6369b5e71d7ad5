// A class of reference labs as a course has one: the labs of `variants` brought up at once, one
// instructor key added to every lab, and in `dir` an inventory of them all that names no lab's own
// key (`labs.yaml`), their host keys (`known_hosts`), a `.env` naming both, and checks/exercise.yaml
// with the short iperf of the end-to-end suites (`checks.yaml`). Call `down` in afterAll.
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { StudentAddressing } from '../../labs/kit/student-plan.ts';
import { labUp, type LabHandle, type Variant } from '../../labs/netns/api.ts';
import { IPERF_SECONDS } from '../e2e/lab-runs.ts';
import { EXERCISE_CHECKS_PATH } from './exercise-results.ts';

/** The name of lab `i` of a class brought up with `prefix`. */
export const classLabName = (prefix: string, i: number): string => `${prefix}${process.pid % 10000}-${i}`;

export interface InstructorClass {
  /** The labs that came up, in `variants` order (all of them, or `up` threw). */
  labs: LabHandle[];
  inventoryPath: string;
  knownHostsPath: string;
  checksPath: string;
  down(): Promise<void>;
}

// `addressing[i]`: lab i built on that student plan (`lab up --plan`).
export async function upInstructorClass(prefix: string, variants: readonly Variant[], dir: string, addressing: ReadonlyArray<StudentAddressing | undefined> = []): Promise<InstructorClass> {
  const labs: LabHandle[] = [];
  const down = async () => {
    await Promise.all(labs.map((lab) => lab.down()));
  };
  const built = await Promise.allSettled(variants.map((variant, i) => labUp({ name: classLabName(prefix, i), variant, ...(addressing[i] ? { addressing: addressing[i] } : {}) })));
  for (const b of built) if (b.status === 'fulfilled') labs.push(b.value);
  const failed = built.find((b) => b.status === 'rejected');
  if (failed) {
    await down();
    throw (failed as PromiseRejectedResult).reason;
  }
  try {
    const key = join(dir, 'instructor');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const publicKey = await readFile(`${key}.pub`, 'utf8');
    const entries: Record<string, unknown> = {};
    let knownHosts = '';
    for (const lab of labs) {
      await appendFile(lab.plan.paths.authorizedKeys, publicKey);
      // Without the lab's own key (its inventory names it): the instructor key serves the class.
      for (const [name, entry] of Object.entries((parse(await readFile(lab.inventoryPath, 'utf8')) as { labs: Record<string, Record<string, unknown>> }).labs)) {
        delete entry.credentials;
        entries[name] = entry;
      }
      knownHosts += await readFile(lab.knownHostsPath, 'utf8');
    }
    const paths = { inventoryPath: join(dir, 'labs.yaml'), knownHostsPath: join(dir, 'known_hosts'), checksPath: join(dir, 'checks.yaml') };
    await writeFile(paths.inventoryPath, stringify({ defaults: { user: 'root' }, labs: entries }));
    await writeFile(paths.knownHostsPath, knownHosts);
    await writeFile(join(dir, '.env'), `GRADER_SSH_KEY=${key}\nGRADER_KNOWN_HOSTS=${paths.knownHostsPath}\n`);
    const exercise = parse(await readFile(EXERCISE_CHECKS_PATH, 'utf8')) as { checks: Array<{ kind: string; params?: Record<string, unknown> }> };
    for (const check of exercise.checks) if (check.kind === 'iperf') check.params = { ...check.params, durationSeconds: IPERF_SECONDS };
    await writeFile(paths.checksPath, stringify(exercise));
    return { labs, ...paths, down };
  } catch (error) {
    await down();
    throw error;
  }
}
