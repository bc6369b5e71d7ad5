// A lab server as a course runs one: two students' labs on this machine's libvirt, domains named
// as students name them, graded as a class from the topology alone (no inventory, no domain
// names): every lab found with the right roles, every verdict as when graded one by one through
// an inventory, and the two labs' iperf measurements never at the same time.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { loadCheckFile } from '../../grader/config/check-file.ts';
import { credentialsFromEnv } from '../../grader/config/credentials-from-env.ts';
import { loadEnvironment } from '../../grader/config/environment.ts';
import { findLabsOnHypervisor } from '../../grader/config/hypervisor-labs.ts';
import { DEFAULT_LIBVIRT_URI } from '../../grader/config/inventory.ts';
import { gradeClass } from '../../grader/class/grade-class.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { vmLabUp, type VmLabHandle } from '../../labs/libvirt/api.ts';
import { gradeThroughHypervisor } from '../../labs/libvirt/grade-through-hypervisor.ts';
import { namedLabs } from '../../labs/libvirt/naming.ts';
import { EXERCISE_CHECKS_PATH, resultKey } from '../support/exercise-results.ts';
import { IPERF_SECONDS } from './lab-runs.ts';

const FLOOR_MBPS = 20;
const TIMED_OUT = /did not finish in time/;
const statuses = (report: LabReport) => Object.fromEntries(report.results.map((r) => [resultKey(r), r.status]));

// Every iperf run of a report as [start, end] in ms (a second measurement adds its first run).
function iperfSpans(report: LabReport): Array<[number, number]> {
  return report.results
    .filter((r) => r.kind === 'iperf')
    .flatMap((r) => {
      const m = r.measurements;
      const spans: Array<[number, number]> = [[m.startedAtMs!, m.endedAtMs!]];
      if (m.firstStartedAtMs !== undefined) spans.push([m.firstStartedAtMs, m.firstEndedAtMs!]);
      return spans;
    });
}

describe('a lab server graded as a class from the topology', () => {
  it('finds alice and bob with their roles, grades them as one by one, never two iperfs at once', async () => {
    const tag = process.pid % 1000;
    // alice-vm1, alice-router, alice-vm3; bob-vm-a, bob-gw, bob-vm-b (tagged, so runs never collide).
    const wanted = namedLabs(2, 'people', '').map((l) => ({
      name: `${l.name}${tag}`,
      domainNames: Object.fromEntries(Object.entries(l.domainNames!).map(([role, d]) => [role, d.replace(`${l.name}-`, `${l.name}${tag}-`)])) as Record<'vm1' | 'router' | 'vm3', string>,
    }));
    const labs: VmLabHandle[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'rlg-server-'));
    try {
      for (const lab of wanted) labs.push(await vmLabUp({ ...lab, guest: 'busybox', ...(labs[0] ? { clientKey: labs[0].keyPath } : {}) }));
      const knownHostsPath = join(dir, 'known_hosts');
      await writeFile(knownHostsPath, (await Promise.all(labs.map((l) => readFile(l.knownHostsPath, 'utf8')))).join(''));
      const options = {
        credentials: credentialsFromEnv(loadEnvironment(labs[0]!.inventoryPath)),
        knownHosts: await KnownHosts.load(knownHostsPath),
        hostKeyPolicy: 'strict' as const,
      };
      const checks = (await loadCheckFile(EXERCISE_CHECKS_PATH)).map((c) =>
        c.kind.kind === 'iperf' ? { ...c, params: { ...c.params, durationSeconds: IPERF_SECONDS, floorMbps: FLOOR_MBPS } } : c,
      );

      const found = await findLabsOnHypervisor({ uri: DEFAULT_LIBVIRT_URI }, { ...options, user: 'root' });
      for (const [i, lab] of wanted.entries()) {
        const target = found.targets.get(lab.name);
        expect(target, `${lab.name} among ${[...found.targets.keys()].join(', ')}`).toBeDefined();
        expect(Object.fromEntries(Object.entries(target!.vms).map(([role, vm]) => [role, vm.domain]))).toEqual(lab.domainNames);
        expect(target!.discovery!.problems).toEqual([]);
        expect(target!.discovery!.roles.find((r) => r.role === 'router')!.why).toBe(
          `router = ${lab.domainNames.router}: NICs on ${lab.name}-internal1, ${lab.name}-internal2, ${lab.name}-management`,
        );
        expect(target!.discovery!.management).toBe(`${wanted[i]!.name}-management`);
      }

      const reports = await gradeClass(
        wanted.map((l) => found.targets.get(l.name)!),
        checks,
        { ...options, outDir: join(dir, 'reports'), junitFlavor: 'ant', concurrency: 2, resume: false, measureConcurrency: 1 },
      );
      expect(reports.map((r) => r.lab)).toEqual(wanted.map((l) => l.name));
      const [a, b] = reports.map(iperfSpans);
      for (const [s1, e1] of a!) for (const [s2, e2] of b!) expect(e1 <= s2 || e2 <= s1, `iperf ${s1}-${e1} and ${s2}-${e2} overlap`).toBe(true);
      for (const report of reports) {
        const iperf = report.results.find((r) => r.kind === 'iperf')!;
        expect(iperf.measurements.hypervisorCpus).toBeGreaterThanOrEqual(1);
        expect(iperf.measurements.hypervisorLoad1).toBeGreaterThanOrEqual(0);
      }

      // On this 2-core machine shared with other VM labs, a command may time out, or a witness go
      // unasked, in one run and not the other: a result that could not be graded (an error, with
      // its reason) in either run says nothing of the grading rules and is left out of the
      // comparison. Every verdict given in both runs must agree, and the inspections always are.
      for (const [i, lab] of labs.entries()) {
        const alone = await gradeThroughHypervisor(lab, checks);
        const ungraded = new Set([...reports[i]!.results, ...alone.results].filter((r) => r.status === 'error' || TIMED_OUT.test(r.message)).map(resultKey));
        const compared = (report: LabReport) => Object.fromEntries(Object.entries(statuses(report)).filter(([key]) => !ungraded.has(key)));
        expect(compared(reports[i]!), JSON.stringify([...reports[i]!.results, ...alone.results].filter((r) => r.status === 'error').map((r) => `${resultKey(r)}: ${r.message}`))).toEqual(compared(alone));
        expect(Object.keys(compared(alone))).toEqual(expect.arrayContaining(['subnets', 'ip-forward router', 'routes vm1', 'routes vm3']));
      }
    } finally {
      for (const lab of labs) await lab.down();
      await rm(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
