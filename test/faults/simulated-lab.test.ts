// The simulated lab itself: it reads the grader's wrapper as sh would, answers in the recorded
// layouts, honours the wrapper's `timeout`, and is cheap enough to run hundreds of labs at once.
import { readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { afterEach, describe, expect, it } from 'vitest';
import { exerciseChecksWith, RESULT_KEYS } from '../support/exercise-results.ts';
import { IP_FORWARD_COMMAND } from '../../grader/checks/kinds/ip-forward.ts';
import { NIC_DRIVERS_COMMAND, parseNicDrivers } from '../../grader/checks/kinds/virtio.ts';
import { credentialsFromEnv } from '../../grader/config/credentials-from-env.ts';
import { findLab, loadInventory } from '../../grader/config/inventory.ts';
import { DISCOVERY_COMMAND } from '../../grader/lab/discovery.ts';
import type { Role } from '../../grader/core/roles.ts';
import { gradeLab } from '../../grader/run/grade-lab.ts';
import { commandLine } from '../../grader/transport/command-wrapper.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { connectHost } from '../../grader/transport/ssh-host.ts';
import { sh } from '../../grader/transport/shell-quote.ts';
import { fixture } from '../support/test-files.ts';
import { hubStats } from '../support/simulated-lab/hub.ts';
import { LabState } from '../support/simulated-lab/lab-state.ts';
import { goodLab } from '../support/simulated-lab/recorded-lab.ts';
import { responderFor } from '../support/simulated-lab/responders.ts';
import { startSimulatedLab, type SimulatedLab } from '../support/simulated-lab/simulated-lab.ts';
import { unwrapLine } from '../support/simulated-lab/wrapper.ts';

const labs: SimulatedLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
});

// Runs a responder directly, as the VM `role` of a fresh good lab.
async function answer(role: Role, command: string) {
  const found = responderFor(command);
  if (!found) throw new Error(`no responder for ${command}`);
  const lab = new LabState('direct', goodLab(), {});
  let stdout = '';
  let stderr = '';
  const status = await found.responder.run({
    args: found.args,
    role,
    vm: lab.topology[role],
    lab,
    clientPort: 40_000,
    stdout: (d) => (stdout += d),
    stderr: (d) => (stderr += d),
    signal: new AbortController().signal,
    stop: () => undefined,
  });
  return { stdout, stderr, status };
}

const timesOut = (text: string) =>
  text
    .replace(/time=\d+(\.\d+)? ms/g, 'time=T ms')
    .replace(/time \d+ms/g, 'time Tms')
    .replace(/= [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/g, '= R ms')
    .replace(/\d+\.\d+ ms/g, 'T ms');

describe('a session line', () => {
  const markers = { begin: 'grader-output-begins-0123456789abcdef', end: 'grader-output-ends-0123456789abcdef' };
  it("is read back to the very command the check wrote, with the line's markers and timeout", () => {
    const commands = [DISCOVERY_COMMAND, NIC_DRIVERS_COMMAND, IP_FORWARD_COMMAND, sh`ip route get ${"10.0.2.3'; rm -rf / #"}`, sh`echo ${'a\\b "c" $HOME `x`'}`];
    for (const command of commands) {
      const { after, ...unwrapped } = unwrapLine(commandLine(command, markers, 9));
      expect(unwrapped).toEqual({
        stdout: `${markers.begin}\n`,
        stderr: `${markers.begin}\n`,
        inner: command,
        timeout: { seconds: 9, killAfterSeconds: 2 },
      });
      expect(after(3)).toEqual({ stdout: `${markers.end}:3\n`, stderr: `${markers.end}\n` });
    }
  });

  it('refuses what is not a line of the session', () => {
    expect(() => unwrapLine('ip route get 10.0.2.3')).toThrow(/does not know/);
    expect(() => unwrapLine(`printf '%s\\n' x`)).toThrow(/not a line of the grader's session/);
    expect(() => unwrapLine(`if timeout -k 1 1 true; then sh -c 'cat'; else sh -c 'cat'; fi`)).toThrow(/would read the session/);
  });
});

describe('the answers, against the recordings', () => {
  it('ip route get on VM1 is the recorded one; the router reaches VM3 directly', async () => {
    expect((await answer('vm1', 'ip route get 10.0.2.3')).stdout).toBe(fixture('ip-route/get-via-router.txt'));
    expect((await answer('vm1', 'ip route get 10.0.1.2')).stdout).toBe(fixture('ip-route/get-local.txt'));
    expect((await answer('router', 'ip route get 10.0.2.3')).stdout).toBe('10.0.2.3 dev eth2 src 10.0.2.1 uid 0 \n    cache \n');
    expect((await answer('vm3', 'ip route get 10.0.1.2')).stdout).toBe('10.0.1.2 via 10.0.2.1 dev ens4 src 10.0.2.3 uid 0 \n    cache \n');
  });

  it('ping and traceroute have the recorded layout, times aside', async () => {
    const ping = await answer('vm1', 'ping -c 3 -i 0.2 -w 4 10.0.2.3');
    expect(timesOut(ping.stdout)).toBe(timesOut(fixture('ping/iputils-via-router.txt')));
    expect(ping.status).toEqual({ code: 0 });
    const trace = await answer('vm1', 'traceroute -n -q 3 -w 2 -m 30 10.0.2.3');
    expect(timesOut(trace.stdout)).toBe(timesOut(fixture('traceroute/debian-via-router.txt')));
  });

  it('the virtio probe shows every NIC as virtio_net, lo with no driver', async () => {
    const { stdout } = await answer('vm1', NIC_DRIVERS_COMMAND);
    expect(parseNicDrivers(stdout)).toEqual([
      { name: 'enp1s0', linkDriver: 'virtio_net', ethtoolDriver: 'virtio_net' },
      { name: 'enp7s0', linkDriver: 'virtio_net', ethtoolDriver: 'virtio_net' },
      { name: 'enp8s0', linkDriver: 'virtio_net', ethtoolDriver: 'virtio_net' },
      { name: 'lo', linkDriver: undefined, ethtoolDriver: undefined },
    ]);
  });
});

describe('over SSH', () => {
  it("honours the wrapper's timeout: a command past its deadline ends with 124, and the grader sees it timed out", async () => {
    const lab = await startSimulatedLab({ name: `simlab-timeout-${process.pid}` });
    labs.push(lab);
    const env = parseDotenv(readFileSync(lab.envPath));
    const remote = await connectHost({
      role: 'vm1',
      endpoint: lab.endpoints.vm1,
      credentials: credentialsFromEnv(env),
      knownHosts: await KnownHosts.load(env.GRADER_KNOWN_HOSTS!),
      hostKeyPolicy: 'strict',
    });
    try {
      const result = await remote.run('ping -c 100 -i 1 -w 103 10.0.2.3', { timeoutMs: 2000 });
      expect(result).toMatchObject({ timedOut: true, exitCode: null });
      expect(result.stdout).toMatch(/^PING 10\.0\.2\.3 .*\n64 bytes from 10\.0\.2\.3: icmp_seq=1 ttl=63/);
      expect(result.durationMs).toBeLessThan(4000);
      expect(lab.unexpected).toEqual([]);
    } finally {
      await remote.close();
    }
  });

  it('serves 300 labs from 3 listening sockets, cheaply', async () => {
    const before = process.memoryUsage();
    const started = performance.now();
    const many = await Promise.all(Array.from({ length: 300 }, (_, i) => startSimulatedLab({ name: `simlab-many-${process.pid}-${i}` })));
    labs.push(...many);
    const startMs = performance.now() - started;
    const after = process.memoryUsage();
    const stats = await hubStats();
    expect(stats).toMatchObject({ labs: 300, listeningSockets: 3, openConnections: 0 });
    expect(new Set(many.map((l) => l.endpoints.router.port)).size).toBe(1);
    const perLabKb = (after.rss - before.rss) / 1024 / 300;
    console.log(`300 simulated labs started in ${(startMs / 1000).toFixed(1)} s; RSS +${((after.rss - before.rss) / 2 ** 20).toFixed(1)} MB (${perLabKb.toFixed(0)} kB a lab), heap +${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(1)} MB`);
    expect(perLabKb).toBeLessThan(1024);
  }, 60_000);
});

describe('many labs at once', () => {
  it('grades 20 fault-free labs concurrently, each on its own: all pass, no iperf3 server left', async () => {
    const checks = exerciseChecksWith({ iperf: { durationSeconds: 1 } });
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => startSimulatedLab({ name: `simlab-grade-${process.pid}-${i}` })));
    labs.push(...many);
    const reports = await Promise.all(
      many.map(async (lab) => {
        const env = parseDotenv(readFileSync(lab.envPath));
        const options = { credentials: credentialsFromEnv(env), knownHosts: await KnownHosts.load(env.GRADER_KNOWN_HOSTS!), hostKeyPolicy: 'strict' as const, readyTimeoutMs: 30_000 };
        return gradeLab(findLab(await loadInventory(lab.inventoryPath), lab.name), checks, options);
      }),
    );
    expect(reports.map((r) => `${r.lab}: ${r.summary.pass}/${r.summary.total}`)).toEqual(many.map((l) => `${l.name}: ${RESULT_KEYS.length}/${RESULT_KEYS.length}`));
    for (const lab of many) {
      expect(lab.runningIperfServers(), lab.name).toBe(0);
      expect(lab.iperfServers(), lab.name).toHaveLength(1);
      expect(lab.unexpected, lab.name).toEqual([]);
    }
  }, 60_000);
});
