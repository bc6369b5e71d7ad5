// The fake tools are convincing: run as scripts on this machine (no root, no lab), their output is
// read by the grader's own parsers and passes the grader's first-hand evaluation. Only a second
// machine (the witnesses) can tell them apart from the real tools.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateIperf, serverWitness } from '../../grader/checks/kinds/iperf.ts';
import { evaluatePing } from '../../grader/checks/kinds/ping.ts';
import { evaluateTraceroute } from '../../grader/checks/kinds/traceroute.ts';
import { parseIperf3Json } from '../../grader/parse/iperf3.ts';
import { parsePing } from '../../grader/parse/ping.ts';
import { parseTraceroute } from '../../grader/parse/traceroute.ts';
import { FAKE_SERVER_FLOOD_SECONDS, fakeIperf3ServerScript } from './fake-server.ts';
import { FAKE_IPERF_MBPS, fakeIperf3Script, fakePingScript, fakeTracerouteScript } from './fake-tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'rlg-fake-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROUTER = '10.10.1.76';
const VM1 = '10.10.1.20';
const VM3 = '10.10.2.158';
const ROUTER2 = '10.10.2.76';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Runs the script under /bin/sh (dash on Debian: POSIX only), as the VM's sshd session would;
// `env` may put stubs first on the PATH.
function runScript(name: string, script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  const path = join(dir, name);
  writeFileSync(path, script, { mode: 0o755 });
  return new Promise((resolve) => {
    execFile(path, args, { timeout: 20_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('fake ping', () => {
  it("prints iputils' output of a perfect run with ttl=63 for the grader's command line, and exits 0", async () => {
    const started = performance.now();
    const ran = await runScript('ping', fakePingScript(), ['-c', '5', '-i', '0.2', '-w', '4', VM3]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(performance.now() - started).toBeGreaterThan(700); // paced like the real one
    const summary = parsePing(ran.stdout);
    expect(summary).toMatchObject({ transmitted: 5, received: 5, lossPercent: 0, replyFrom: [VM3] });
    expect(summary.ttls).toEqual([63, 63, 63, 63, 63]);
    expect(summary.rtt?.minMs).toBeLessThanOrEqual(summary.rtt!.avgMs);
    expect(summary.rtt?.avgMs).toBeLessThanOrEqual(summary.rtt!.maxMs);
    const verdict = evaluatePing(summary, VM3, { count: 5, intervalSeconds: 0.2, maxLossPercent: 0 }, []);
    expect(verdict.status).toBe('pass');
  });

  it('answers any address, and refuses none', async () => {
    const ran = await runScript('ping', fakePingScript(), ['-c2', '-i0.2', '192.0.2.99']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    expect(ran.stdout).toContain('64 bytes from 192.0.2.99: icmp_seq=2 ttl=63');
  });
});

describe('fake traceroute', () => {
  it("prints a two-hop trace through the hard-coded router address, which the grader's evaluation passes", async () => {
    const ran = await runScript('traceroute', fakeTracerouteScript(ROUTER), ['-n', '-q', '2', '-w', '2', '-m', '5', VM3]);
    expect(ran.code, ran.stderr).toBe(0);
    const trace = parseTraceroute(ran.stdout);
    expect(trace.destination).toBe(VM3);
    expect(trace.hops.map((h) => [h.index, h.addresses, h.rttsMs.length])).toEqual([
      [1, [ROUTER], 2],
      [2, [VM3], 2],
    ]);
    expect(ran.stdout.split('\n')[0]).toBe(`traceroute to ${VM3} (${VM3}), 5 hops max, 60 byte packets`);
    expect(evaluateTraceroute(trace, ROUTER, VM3, []).status).toBe('pass');
  });

  it('refuses an address that is not a dotted quad at build time', () => {
    expect(() => fakeTracerouteScript('10.0.0.1; rm -rf /')).toThrow(/IPv4/);
  });
});

describe('fake iperf3', () => {
  const args = (seconds: number) => ['-J', '-c', VM3, '-p', '5201', '-t', String(seconds), '--connect-timeout', '5000'];

  it(`prints a client JSON report of ${FAKE_IPERF_MBPS} Mbit/s from VM1's internal address after -t seconds`, async () => {
    const started = performance.now();
    const ran = await runScript('iperf3', fakeIperf3Script(VM1), args(1));
    expect(ran.code, ran.stderr).toBe(0);
    expect(performance.now() - started).toBeGreaterThan(900);
    const json = JSON.parse(ran.stdout) as { intervals: unknown[]; start: { test_start: { duration: number } } };
    expect(json.intervals).toHaveLength(1);
    expect(json.start.test_start.duration).toBe(1);
    const report = parseIperf3Json(ran.stdout);
    expect(report).toMatchObject({ localHost: VM1, remoteHost: VM3, protocol: 'TCP', receiverMbps: FAKE_IPERF_MBPS, retransmits: 0 });
    expect(report.senderMbps).toBeGreaterThan(FAKE_IPERF_MBPS);
    expect(report.durationSeconds).toBeCloseTo(1, 2);
    expect(evaluateIperf(report, VM3, 100, []).status).toBe('pass');
  });

  it('scales the transfer with -t', async () => {
    const ran = await runScript('iperf3', fakeIperf3Script(VM1), args(2));
    const json = JSON.parse(ran.stdout) as { intervals: unknown[]; end: { sum_received: { bytes: number } } };
    expect(json.intervals).toHaveLength(2);
    expect(json.end.sum_received.bytes).toBe((FAKE_IPERF_MBPS * 1e6 * 2) / 8);
  });

  it('prints a text summary without -J, and refuses to be a server', async () => {
    const text = await runScript('iperf3', fakeIperf3Script(VM1), ['-c', VM3, '-t', '1']);
    expect(text.stdout).toMatch(new RegExp(`${FAKE_IPERF_MBPS} Mbits/sec +receiver`));
    const server = await runScript('iperf3', fakeIperf3Script(VM1), ['-s', '-1']);
    expect(server.code).toBe(1);
  });
});

describe("VM3's fake iperf3 server (fake-all-chatter)", () => {
  const script = fakeIperf3ServerScript({ vm1Internal: VM1, vm3Internal: VM3, routerInternal2: ROUTER2 });
  // No packet leaves this machine: `ping` is a stub that records its arguments.
  const stubs = join(dir, 'stubs');
  mkdirSync(stubs, { recursive: true });
  writeFileSync(join(stubs, 'ping'), `#!/bin/sh\necho "$@" > ${join(dir, 'ping-args')}\n`, { mode: 0o755 });
  const env = { ...process.env, PATH: `${stubs}:${process.env.PATH ?? '/usr/bin:/bin'}` };

  it("floods the router's own address while it runs, then reports VM1's test as the server witness wants it", async () => {
    const started = performance.now();
    const ran = await runScript('iperf3-server', script, ['-s', '-1', '-J', '-p', '5201'], env);
    expect(ran.code, ran.stderr).toBe(0);
    expect(performance.now() - started, 'answers at once, the flood runs in the background').toBeLessThan(1000);
    const argsFile = join(dir, 'ping-args');
    for (let i = 0; i < 40 && !existsSync(argsFile); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readFileSync(argsFile, 'utf8').trim()).toBe(`-q -f -l 8 -s 65000 -w ${FAKE_SERVER_FLOOD_SECONDS} ${ROUTER2}`);
    const report = parseIperf3Json(ran.stdout);
    expect(report).toMatchObject({ localHost: VM3, remoteHost: VM1, receiverMbps: FAKE_IPERF_MBPS });
    const client = parseIperf3Json((await runScript('iperf3', fakeIperf3Script(VM1), ['-J', '-c', VM3, '-t', '1'])).stdout);
    expect(serverWitness(report, client, VM1)).toMatchObject({ agrees: true });
  }, 20_000);

  it('is no client', async () => {
    expect((await runScript('iperf3-server', script, ['-c', VM1], env)).code).toBe(1);
  });
});
