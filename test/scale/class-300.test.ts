// A class of 300 simulated labs graded in one process, as `--all` does: every lab graded and its
// reports written, no one-off iperf3 server left, memory bounded.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeClassReports } from '../../grader/class-report/write-class-reports.ts';
import { gradeClass } from '../../grader/class/grade-class.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { quickChecks, startSimulatedClass, type SimulatedClass } from '../support/simulated-class.ts';
import { testDir } from '../support/test-files.ts';

let simulated: SimulatedClass;
beforeAll(async () => {
  simulated = await startSimulatedClass(300, `scale${process.pid % 10000}`);
}, 120_000);
afterAll(async () => {
  await simulated?.stop();
});

describe('a class of 300 labs', () => {
  it('is graded in one process, every lab complete, memory bounded', async () => {
    const out = await testDir('rlg-scale-');
    const checks = await quickChecks();
    const { readFileSync } = await import('node:fs');
    let peakRss = process.memoryUsage().rss;
    const baseline = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const reports = await gradeClass(simulated.targets, checks, {
      credentials: { privateKey: readFileSync(simulated.keyPath) },
      knownHosts: await KnownHosts.load(simulated.knownHostsPath),
      hostKeyPolicy: 'strict',
      outDir: out,
      junitFlavor: 'ant',
      concurrency: 30,
      resume: false,
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    await writeClassReports({ startedAt: new Date().toISOString(), durationMs: seconds * 1000, labs: reports.map((report) => ({ lab: report.lab, report })) }, out, {
      checkIds: [...new Set(checks.map((c) => c.id))],
      junitFlavor: 'ant',
    });
    console.log(`300 labs graded in ${seconds.toFixed(1)} s at concurrency 30; peak RSS +${((peakRss - baseline) / 2 ** 20).toFixed(0)} MB`);

    expect(reports).toHaveLength(300);
    const imperfect = reports.filter((r) => r.summary.pass !== r.summary.total);
    expect(imperfect.map((r) => `${r.lab}: ${r.results.filter((x) => x.status !== 'pass').map((x) => `${x.id} ${x.host} ${x.message}`).join('; ')}`)).toEqual([]);
    expect((await readdir(out)).filter((f) => f.endsWith('.json'))).toHaveLength(300);
    expect((await readFile(join(out, 'gradebook.csv'), 'utf8')).trim().split(/\r?\n/)).toHaveLength(301);
    expect(simulated.labs.reduce((n, lab) => n + lab.runningIperfServers(), 0)).toBe(0);
    expect(simulated.labs.flatMap((lab) => lab.unexpected)).toEqual([]);
    expect(peakRss - baseline).toBeLessThan(1024 * 2 ** 20);
  }, 600_000);
});
