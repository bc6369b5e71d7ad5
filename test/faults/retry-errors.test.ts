// --retry-errors on simulated labs: a lab whose VM drops the connection (the grader's side of the
// wire) is graded again at the end of the class, its report saying what the first attempt saw; a
// lab whose VM refuses the key (the same again next time) and a good lab are graded once.
import { readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it, onTestFinished } from 'vitest';
import { gradeClass } from '../../grader/class/grade-class.ts';
import { credentialsFromEnv } from '../../grader/config/credentials-from-env.ts';
import { findLab, loadInventory } from '../../grader/config/inventory.ts';
import { readLabReport } from '../../grader/report/read-report.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { quickChecks } from '../support/simulated-class.ts';
import type { FaultSpec } from '../support/simulated-lab/faults.ts';
import { startSimulatedLab } from '../support/simulated-lab/simulated-lab.ts';
import { testDir } from '../support/test-files.ts';
import type { Role } from '../../grader/core/roles.ts';

const discoveries = (commands: readonly string[]) => commands.filter((c) => c.startsWith('printf "@@ssh')).length;

describe('--retry-errors', () => {
  it("grades again, once, only the lab whose errors are the grader's side", async () => {
    const specs: Array<[string, Partial<Record<Role, FaultSpec>>]> = [
      [`rtg${process.pid % 10000}-good`, {}],
      [`rtg${process.pid % 10000}-drop`, { vm3: { kind: 'drop', command: /ip_forward|ethtool|driver/ } }],
      [`rtg${process.pid % 10000}-auth`, { router: 'refuse-auth' }],
    ];
    const labs = await Promise.all(specs.map(([name, faults]) => startSimulatedLab({ name, faults })));
    onTestFinished(() => Promise.all(labs.map((lab) => lab.stop())).then(() => undefined));
    // One key and known_hosts for all: each simulated lab writes its own, the hub shares one key.
    const env = parseDotenv(readFileSync(labs[0]!.envPath));
    const knownHosts = await KnownHosts.load(env.GRADER_KNOWN_HOSTS!);
    for (const lab of labs.slice(1)) for (const line of readFileSync(lab.knownHostsPath, 'utf8').trim().split('\n')) await knownHosts.add(...(parseLine(line)));
    const targets = await Promise.all(labs.map(async (lab) => findLab(await loadInventory(lab.inventoryPath), lab.name)));
    const out = await testDir('rlg-retry-');
    const reports = await gradeClass(targets, await quickChecks(), {
      credentials: credentialsFromEnv(env),
      knownHosts,
      hostKeyPolicy: 'strict',
      readyTimeoutMs: 10_000,
      outDir: out,
      junitFlavor: 'ant',
      concurrency: 3,
      resume: false,
      retryErrors: 1,
    });
    const [good, drop, auth] = reports;
    expect(good!.retriedAfter).toBeUndefined();
    expect(auth!.retriedAfter).toBeUndefined();
    expect(drop!.retriedAfter).toHaveLength(1);
    expect(drop!.retriedAfter![0]!.errors.join('\n')).toMatch(/was lost|lost the connection to vm3/);
    expect(discoveries(labs[1]!.commands.vm1)).toBe(2);
    expect(discoveries(labs[0]!.commands.vm1)).toBe(1);
    expect(discoveries(labs[2]!.commands.vm1)).toBe(1);
    expect((await readLabReport(out, drop!.lab).then((kept) => (kept?.ok ? kept.report : undefined)))?.retriedAfter).toEqual(drop!.retriedAfter);
  }, 120_000);
});

function parseLine(line: string): [string, number, string, Buffer] {
  const [hostPort, type, key] = line.split(' ');
  const m = /^\[(.+)\]:(\d+)$/.exec(hostPort!)!;
  return [m[1]!, Number(m[2]), type!, Buffer.from(key!, 'base64')];
}
