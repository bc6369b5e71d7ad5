// Ctrl-C while a lab's iperf3 test runs: the one-off server on VM3 is stopped before the grader
// exits, not left to its 30-second deadline.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-cli.ts';
import { suiteLab } from '../support/suite-lab.ts';

const suite = suiteLab('interrupt', 'good', 'rlg-interrupt-');

// The iperf3 processes running in a namespace VM.
function iperfServers(namespace: string): number[] {
  const pids = execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  return pids.filter((pid) => {
    try {
      return /^iperf3\0-s\0/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

describe('Ctrl-C', () => {
  it('stops the iperf3 server of the lab in flight before exiting', async () => {
    const checks = join(suite.dir, 'long-iperf.yaml');
    await writeFile(checks, 'checks:\n  - { id: iperf, kind: iperf, title: long iperf, points: 1, hosts: [vm1], params: { durationSeconds: 30, floorMbps: 1 }, hint: fix it }\n');
    const tsx = `${REPO}node_modules/tsx/dist/loader.mjs`;
    const child = spawn(process.execPath, ['--import', tsx, `${REPO}grader/cli.ts`, '--host', suite.lab.name, '--inventory', suite.lab.inventoryPath, '--checks', checks, '--out', join(suite.dir, 'out')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 200 && iperfServers(suite.lab.namespaces.vm3).length === 0; i++) await sleep(100);
      expect(iperfServers(suite.lab.namespaces.vm3)).toHaveLength(1);
      await sleep(1000); // the test is under way
      child.kill('SIGINT');
      const started = Date.now();
      expect(await exited).toBe(130);
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(iperfServers(suite.lab.namespaces.vm3)).toEqual([]);
      expect(stderr).toMatch(/interrupted; stopping what runs on the VMs of the labs in flight/);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
