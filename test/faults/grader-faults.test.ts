// The grader against simulated labs (test/support/simulated-lab/) with one fault on one VM: what
// needs that VM is an error saying why, the rest is graded as in a good lab, both reports are
// complete and clean, nothing outlives its deadline, memory stays bounded under a flood, and the
// one-off iperf3 server is always stopped. Also writes docs/faults.md (UPDATE_FAULTS=1).
import { renderJson } from '../../grader/report/json.ts';
import { renderConsole } from '../../grader/report/console.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../../grader/core/result.ts';
import type { LabReport } from '../../grader/core/lab-report.ts';
import type { CheckSpec } from '../../grader/config/check-file.ts';
import { credentialsFromEnv } from '../../grader/config/credentials-from-env.ts';
import { findLab, loadInventory } from '../../grader/config/inventory.ts';
import type { Role } from '../../grader/core/roles.ts';
import { validateKeptReport } from '../../grader/report/read-report.ts';
import { writeReports } from '../../grader/report/write-reports.ts';
import { gradeLab } from '../../grader/run/grade-lab.ts';
import { KILL_AFTER_SECONDS } from '../../grader/transport/command-wrapper.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { expectedFor, type ResultKey } from '../e2e/expected-verdicts.ts';
import { exerciseChecksWith, RESULT_KEYS, resultKey, vmsNeededBy } from '../support/exercise-results.ts';
import { validateJunitFile } from '../support/junit-xml.ts';
import { REPO, runCli, type CliRun } from '../support/run-cli.ts';
import { faultsDocument, faultTableIn, renderFaultTable, stableColumns, type FaultRow } from '../support/simulated-lab/fault-table.ts';
import type { FaultSpec } from '../support/simulated-lab/faults.ts';
import { startSimulatedLab, type SimulatedLab } from '../support/simulated-lab/simulated-lab.ts';

const FAULTS_DOC = join(REPO, 'docs', 'faults.md');
const UPDATE = process.env.UPDATE_FAULTS === '1';
const TEST_TIMEOUT = 60_000;

// The grader's own deadlines (grader/transport/*): a command given T seconds runs under
// `timeout -k KILL T`; the client gives up 1 s after that (CLIENT_GRACE_MS) and waits up to 2 s
// for the close (CLOSE_WAIT_MS). Discovery runs with the default 15 s; a failed connection is
// given up 2 s after its error (ERROR_CLOSE_WAIT_MS).
const READY_TIMEOUT_S = 10;
const DISCOVERY_TIMEOUT_S = 15;
const commandDeadline = (seconds: number) => seconds + KILL_AFTER_SECONDS + 1 + 2;
const CONNECT_DEADLINE_S = READY_TIMEOUT_S + 2;
/** Everything a fault-free grading of the simulated lab does (about 3 s alone), on a loaded 2-core machine. */
const GRADING_ALLOWANCE_S = 30;
const IPERF_SECONDS = 1;
/** The ping check's command deadline with exercise.yaml's count 5 and interval 0.2: ceil(1) + 3 + 5. */
const PING_TIMEOUT_S = 9;
const MAX_RSS_GROWTH_MB = 200;

const needing = (vm: Role) => RESULT_KEYS.filter((k) => vmsNeededBy(k).includes(vm));

interface FaultCase {
  id: string;
  vm: Role;
  fault: FaultSpec;
  /** The commands it hits, in words, for docs/faults.md. */
  commands: string;
  /** Results that must be errors (or `affectedAs`), and the reason their message must give. */
  affected: readonly ResultKey[];
  affectedAs?: 'error' | 'fail';
  reason: RegExp;
  /** The longest the grader may wait on this fault, from its own deadlines. */
  deadlineSeconds: number;
  /** Graded alone, its RSS growth measured. */
  flood?: boolean;
}

const USER = '[\\w.-]+@127\\.0\\.0\\.1:\\d+';

const CASES: FaultCase[] = [
  {
    id: 'refuse-auth',
    vm: 'router',
    fault: 'refuse-auth',
    commands: 'login',
    affected: needing('router'),
    reason: new RegExp(`authentication refused for ${USER} \\(tried: publickey \\(\\S+id_ed25519 from GRADER_SSH_KEY, ssh-ed25519, not encrypted\\)\\)`),
    deadlineSeconds: CONNECT_DEADLINE_S,
  },
  {
    id: 'no-banner',
    vm: 'vm3',
    fault: 'no-banner',
    commands: 'login',
    affected: needing('vm3'),
    reason: new RegExp(`connected, but no SSH handshake with ${USER} within ${READY_TIMEOUT_S} s`),
    deadlineSeconds: CONNECT_DEADLINE_S,
  },
  {
    id: 'wrong-host-key',
    vm: 'vm1',
    fault: 'wrong-host-key',
    commands: 'login',
    affected: needing('vm1'),
    reason: /host key of 127\.0\.0\.1:\d+ has changed: presented ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}, expected ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}/,
    deadlineSeconds: CONNECT_DEADLINE_S,
  },
  {
    id: 'hang',
    vm: 'router',
    fault: 'hang',
    commands: 'every command (discovery)',
    affected: needing('router'),
    reason: /could not discover its NICs and routes: the command timed out/,
    deadlineSeconds: commandDeadline(DISCOVERY_TIMEOUT_S),
  },
  {
    id: 'hang',
    vm: 'vm1',
    fault: { kind: 'hang', command: /^ping / },
    commands: '`ping`',
    affected: ['ping vm1'],
    reason: /`ping -c 5 -i 0\.2 -w 4 10\.0\.2\.3` on vm1 did not finish in time/,
    deadlineSeconds: commandDeadline(PING_TIMEOUT_S),
  },
  {
    // The one-off server reports only when its command ends: a server whose report never comes
    // is a server the grader could not hear, not a server that "measured no test".
    id: 'hang',
    vm: 'vm3',
    fault: { kind: 'hang', command: /\bexec iperf3 -s -1 / },
    commands: 'the iperf3 server',
    affected: ['iperf vm1'],
    reason: /(vm3|VM3)\b.*\b(did not finish in time|did not report|timed out)|(did not finish in time|did not report|timed out)\b.*\b(vm3|VM3)\b/,
    deadlineSeconds: commandDeadline(IPERF_SECONDS + 25) + 5,
  },
  {
    // VM3's connection is gone before the iperf check: its server can never be started, so the
    // client's "Connection refused" says nothing about the student's lab.
    id: 'drop',
    vm: 'vm3',
    fault: { kind: 'drop', command: /^ip route get / },
    commands: '`ip route get`',
    affected: ['routes vm3', 'iperf vm1'],
    reason: /lost the connection to vm3: the SSH connection to 127\.0\.0\.1:\d+ was lost/,
    deadlineSeconds: 5,
  },
  {
    id: 'drop',
    vm: 'vm1',
    fault: { kind: 'drop', command: /^iperf3 -J -c / },
    commands: 'the iperf3 client',
    affected: ['iperf vm1'],
    reason: /lost the connection to vm1: the SSH connection to 127\.0\.0\.1:\d+ was lost/,
    deadlineSeconds: 5,
  },
  {
    id: 'flood',
    vm: 'router',
    fault: 'flood',
    commands: 'every command (discovery)',
    affected: needing('router'),
    reason: /could not discover its NICs and routes: its output was too large/,
    deadlineSeconds: commandDeadline(DISCOVERY_TIMEOUT_S),
    flood: true,
  },
  {
    id: 'flood',
    vm: 'vm1',
    fault: { kind: 'flood', command: /^ping / },
    commands: '`ping`',
    affected: ['ping vm1'],
    reason: /`ping -c 5 -i 0\.2 -w 4 10\.0\.2\.3` on vm1 printed more output than the grader reads/,
    deadlineSeconds: commandDeadline(PING_TIMEOUT_S),
    flood: true,
  },
  {
    id: 'garbage',
    vm: 'vm1',
    fault: { kind: 'garbage', command: /^ip route get / },
    commands: '`ip route get`',
    affected: ['routes vm1'],
    reason: /could not read the output of `ip route get 10\.0\.2\.3` on vm1/,
    deadlineSeconds: 0,
  },
  {
    id: 'garbage',
    vm: 'vm1',
    fault: { kind: 'garbage', command: /^ping / },
    commands: '`ping`',
    affected: ['ping vm1'],
    reason: /could not read the output of `ping -c 5 -i 0\.2 -w 4 10\.0\.2\.3` on vm1/,
    deadlineSeconds: 0,
  },
  {
    id: 'garbage',
    vm: 'vm3',
    fault: 'garbage',
    commands: 'every command (discovery)',
    affected: needing('vm3'),
    reason: /could not discover its NICs and routes: ip addr: no interface in output/,
    deadlineSeconds: 0,
  },
  {
    // Counters a student wrote instead of the kernel: a billion more at every read.
    id: 'inflate',
    vm: 'router',
    fault: { kind: 'inflate', command: /\/statistics\/rx_packets/ },
    commands: "the router's counters",
    affected: ['ping vm1', 'traceroute vm1', 'iperf vm1'],
    affectedAs: 'fail',
    reason: /^witnesses disagree: .*the router's counters: .*more than any NIC carries: the counters were written, not counted/,
    deadlineSeconds: 0,
  },
];

const caseName = (c: FaultCase) => `${c.id} on ${c.vm} (${c.commands})`;
const boundSeconds = (c: FaultCase) => c.deadlineSeconds + GRADING_ALLOWANCE_S;

interface Grading {
  lab: string;
  report: LabReport;
  wallMs: number;
  rssGrowthMb?: number;
  junit: string;
  json: string;
  reportsWritten: boolean;
  xmllint: { code: number | null; output: string };
  runningIperfServers: number;
  iperfServersStarted: number;
  unexpectedCommands: readonly string[];
  floodedBytes: number;
}

// checks/exercise.yaml as the CLI loads it, with iperf measuring for IPERF_SECONDS.
const exerciseChecks = async (): Promise<CheckSpec[]> => exerciseChecksWith({ iperf: { durationSeconds: IPERF_SECONDS } });

// The highest RSS seen while `task` runs, sampled every 20 ms, less the RSS before it.
async function rssGrowthDuring<T>(task: () => Promise<T>): Promise<{ value: T; growthMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const value = await task();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growthMb: (peak - before) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

async function observe(lab: SimulatedLab, report: LabReport, wallMs: number, rssGrowthMb?: number): Promise<Grading> {
  const runningIperfServers = lab.runningIperfServers();
  const out = await mkdtemp(join(tmpdir(), 'rlg-faults-reports-'));
  try {
    const { junitPath, jsonPath } = await writeReports(report, out);
    const reportsWritten = existsSync(junitPath) && existsSync(jsonPath);
    return {
      lab: lab.name,
      report,
      wallMs,
      ...(rssGrowthMb === undefined ? {} : { rssGrowthMb }),
      junit: await readFile(junitPath, 'utf8'),
      json: await readFile(jsonPath, 'utf8'),
      reportsWritten,
      xmllint: await validateJunitFile(junitPath),
      runningIperfServers,
      iperfServersStarted: lab.iperfServers().length,
      unexpectedCommands: [...lab.unexpected],
      floodedBytes: lab.floodedBytes(),
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

async function gradeSimulated(name: string, faults: Partial<Record<Role, FaultSpec>>, checks: CheckSpec[], measureMemory = false): Promise<Grading> {
  const lab = await startSimulatedLab({ name, faults });
  try {
    const env = parseDotenv(readFileSync(lab.envPath));
    const target = findLab(await loadInventory(lab.inventoryPath), lab.name);
    const options = {
      credentials: credentialsFromEnv(env),
      knownHosts: await KnownHosts.load(env.GRADER_KNOWN_HOSTS!),
      hostKeyPolicy: 'strict' as const,
      readyTimeoutMs: READY_TIMEOUT_S * 1000,
    };
    const started = performance.now();
    if (!measureMemory) {
      const report = await gradeLab(target, checks, options);
      return await observe(lab, report, performance.now() - started);
    }
    const { value: report, growthMb } = await rssGrowthDuring(() => gradeLab(target, checks, options));
    return await observe(lab, report, performance.now() - started, growthMb);
  } finally {
    await lab.stop();
  }
}

interface CliGrading {
  run: CliRun;
  report?: LabReport;
  junitWritten: boolean;
  runningIperfServers: number;
  wallMs: number;
}

// The CLI as a user runs it from a directory of its own: key and known_hosts from the .env beside
// the inventory, nothing from this process's environment.
async function gradeWithCli(name: string, faults: Partial<Record<Role, FaultSpec>>): Promise<CliGrading> {
  const lab = await startSimulatedLab({ name, faults });
  const scratch = await mkdtemp(join(tmpdir(), 'rlg-faults-cli-'));
  try {
    const cwd = join(scratch, 'cwd');
    const out = join(scratch, 'reports');
    await mkdir(cwd);
    const started = performance.now();
    const args = ['--host', lab.name, '--inventory', lab.inventoryPath, '--out', out, '--host-key-checking', 'strict', '--connect-timeout', String(READY_TIMEOUT_S)];
    const noSecrets = { INIT_CWD: undefined, GRADER_SSH_KEY: undefined, GRADER_SSH_KEY_PASSPHRASE: undefined, GRADER_SSH_PASSWORD: undefined, GRADER_KNOWN_HOSTS: undefined, SSH_AUTH_SOCK: undefined };
    const run = await runCli(args, noSecrets, cwd);
    const wallMs = performance.now() - started;
    const jsonPath = join(out, `${lab.name}.json`);
    return {
      run,
      ...(existsSync(jsonPath) ? { report: JSON.parse(await readFile(jsonPath, 'utf8')) as LabReport } : {}),
      junitWritten: existsSync(join(out, `${lab.name}.xml`)),
      runningIperfServers: lab.runningIperfServers(),
      wallMs,
    };
  } finally {
    await lab.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

// C0 controls but tab, LF and CR; DEL; C1 controls; U+FFFE, U+FFFF; lone surrogates.
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;
// What a naive filter leaves of the garbage's ANSI sequences. A parser's excerpt may show the
// sequence escaped as text (`\u001b[0m`): that is not a terminal sequence.
const ANSI_REMNANT = /(?<!\\u001b)(\[1;31m|\[0m|\[32m|\[2J|\[\?25l|\]0;owned)/g;

function describeChars(matches: string[]): string[] {
  return [...new Set(matches.map((m) => [...m].map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('')))];
}

// Character references XML 1.0 forbids (&#27; &#x1b; ...).
function forbiddenReferences(xml: string): string[] {
  return [...xml.matchAll(/&#(x[0-9a-f]+|\d+);/gi)]
    .map((m) => [m[0], m[1]!.startsWith('x') || m[1]!.startsWith('X') ? parseInt(m[1]!.slice(1), 16) : Number(m[1])] as const)
    .filter(([, code]) => (code < 0x20 && ![0x9, 0xa, 0xd].includes(code)) || code === 0xfffe || code === 0xffff || (code >= 0xd800 && code <= 0xdfff))
    .map(([ref]) => ref);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

function dirtIn(g: Pick<Grading, 'junit' | 'json'>): Record<string, string[]> {
  const jsonText = strings(JSON.parse(g.json)).join('\n');
  return {
    'XML: forbidden characters': describeChars(g.junit.match(FORBIDDEN) ?? []),
    'XML: forbidden character references': forbiddenReferences(g.junit),
    'XML: ANSI remnants': g.junit.match(ANSI_REMNANT) ?? [],
    'JSON: forbidden characters': describeChars(jsonText.match(FORBIDDEN) ?? []),
    'JSON: ANSI remnants': jsonText.match(ANSI_REMNANT) ?? [],
  };
}

const statusesOf = (report: LabReport) => Object.fromEntries(report.results.map((r) => [resultKey(r), r.status])) as Record<string, Status>;
const verdictLines = (report: LabReport) => report.results.map((r) => `${resultKey(r)}: ${r.status}: ${r.message}`).join('\n');

let good: Grading | undefined;
let goodFailure: unknown;
const runs = new Map<FaultCase, Promise<Grading>>();
let cli: Promise<CliGrading> | undefined;
const tag = `${process.pid}`;

function observed(c: FaultCase): Promise<Grading> {
  const run = runs.get(c);
  if (!run) throw new Error(`${caseName(c)} was not graded: see why beforeAll failed`);
  return run;
}

function goodLab(): Grading {
  if (!good) throw new Error(`the fault-free simulated lab was not graded: ${String(goodFailure)}`);
  return good;
}

beforeAll(async () => {
  const checks = await exerciseChecks();
  try {
    good = await gradeSimulated(`faults-good-${tag}`, {}, checks);
  } catch (error) {
    goodFailure = error;
  }
  // Floods alone, so that the RSS they cause is theirs; then every other fault at once.
  for (const [i, c] of CASES.entries()) {
    if (!c.flood) continue;
    const run = gradeSimulated(`faults-${i}-${c.id}-${tag}`, { [c.vm]: c.fault }, checks, true);
    runs.set(c, run);
    await run.catch(() => undefined);
  }
  for (const [i, c] of CASES.entries()) {
    if (!c.flood) runs.set(c, gradeSimulated(`faults-${i}-${c.id}-${tag}`, { [c.vm]: c.fault }, checks));
  }
  cli = gradeWithCli(`faults-cli-garbage-${tag}`, { vm1: { kind: 'garbage', command: /^ip route get / } });
  await Promise.allSettled([...runs.values(), cli]);
}, 300_000);

afterAll(async () => {
  // The figures the report quotes: time to verdict, flood volume, RSS growth.
  const lines = await Promise.all(
    CASES.map(async (c) => {
      const g = await runs.get(c)?.catch(() => undefined);
      if (!g) return `${caseName(c)}: not graded`;
      const flood = c.flood ? `, flooded ${(g.floodedBytes / 2 ** 20).toFixed(1)} MiB, RSS +${g.rssGrowthMb?.toFixed(0)} MB` : '';
      return `${caseName(c)}: ${(g.wallMs / 1000).toFixed(1)} s${flood}`;
    }),
  );
  const cliRun = await cli?.catch(() => undefined);
  console.log(
    [`good lab: ${good ? `${(good.wallMs / 1000).toFixed(1)} s` : 'not graded'}`, ...lines, `CLI (garbage in ip route get): ${cliRun ? `${(cliRun.wallMs / 1000).toFixed(1)} s` : 'not run'}`].join('\n'),
  );
});

describe('the fault-free simulated lab', () => {
  it('is graded as the namespace good lab, except virtio, which its VirtIO NICs pass', () => {
    const { report } = goodLab();
    const expected = Object.fromEntries(RESULT_KEYS.map((k) => [k, k.startsWith('virtio ') ? 'pass' : expectedFor('good', k).status]));
    expect(statusesOf(report), verdictLines(report)).toEqual(expected);
    expect(report.results.map(resultKey)).toEqual([...RESULT_KEYS]);
    for (const key of RESULT_KEYS) {
      const measurement = expectedFor('good', key).measurement;
      if (!measurement) continue;
      const value = report.results.find((r) => resultKey(r) === key)?.measurements[measurement.name];
      expect(value !== undefined && measurement.holds(value), `${key}: ${measurement.name} ${measurement.description}, got ${value}`).toBe(true);
    }
    // Graded without its hypervisor: every traffic verdict says it rests on in-VM evidence only.
    const scopes = report.results.map((r) => [resultKey(r), r.evidenceScope]);
    expect(scopes.filter(([, scope]) => scope !== undefined)).toEqual([['ping vm1', 'in-vm'], ['traceroute vm1', 'in-vm'], ['iperf vm1', 'in-vm']]);
    expect(JSON.parse(renderJson(report)).results.find((r: { id: string }) => r.id === 'ping').evidenceScope).toBe('in-vm');
    expect(report.score).toBe(report.maxScore);
  });

  it('answers every command the grader sends, writes valid reports and leaves no iperf3 server', () => {
    const g = goodLab();
    expect(g.unexpectedCommands).toEqual([]);
    expect(g.xmllint.code, g.xmllint.output).toBe(0);
    expect(g.iperfServersStarted).toBe(1);
    expect(g.runningIperfServers).toBe(0);
    expect(g.wallMs / 1000).toBeLessThan(GRADING_ALLOWANCE_S);
  });
});

for (const c of CASES) {
  describe(caseName(c), () => {
    it(`makes ${c.affected.join(', ')} ${c.affectedAs === 'fail' ? 'a failure' : 'an error'} saying why`, async () => {
      const { report } = await observed(c);
      for (const key of c.affected) {
        const result = report.results.find((r) => resultKey(r) === key);
        expect.soft(result?.status, `${key}\n${verdictLines(report)}`).toBe(c.affectedAs ?? 'error');
        expect.soft(result?.message ?? '(no such result)', key).toMatch(c.reason);
      }
    }, TEST_TIMEOUT);

    it('grades everything else as in the good lab', async () => {
      const { report } = await observed(c);
      const goodStatuses = statusesOf(goodLab().report);
      const others = RESULT_KEYS.filter((k) => !c.affected.includes(k));
      const statuses = statusesOf(report);
      expect(Object.fromEntries(others.map((k) => [k, statuses[k]])), verdictLines(report)).toEqual(Object.fromEntries(others.map((k) => [k, goodStatuses[k]])));
    }, TEST_TIMEOUT);

    it('writes complete JUnit and JSON reports; the JUnit validates against its schema', async () => {
      const g = await observed(c);
      expect(g.reportsWritten).toBe(true);
      const json = JSON.parse(g.json) as LabReport;
      expect(json.results.map(resultKey)).toEqual([...RESULT_KEYS]);
      expect(json.summary.total).toBe(RESULT_KEYS.length);
      expect(g.junit.match(/<testcase /g)?.length).toBe(RESULT_KEYS.length);
      expect(g.xmllint.code, g.xmllint.output).toBe(0);
      // --resume would keep it: it validates against report.schema.json and its sums hold.
      const kept = validateKeptReport(json);
      expect(kept.ok ? 'kept' : kept.reason).toBe('kept');
    }, TEST_TIMEOUT);

    it('keeps ANSI sequences, NULs and characters XML forbids out of both reports', async () => {
      const dirt = dirtIn(await observed(c));
      expect(dirt).toEqual(Object.fromEntries(Object.keys(dirt).map((k) => [k, []])));
    }, TEST_TIMEOUT);

    it(`reaches its verdict within the grader's deadlines (${boundSeconds(c)} s)`, async () => {
      const { wallMs } = await observed(c);
      expect(wallMs / 1000).toBeLessThan(boundSeconds(c));
    }, TEST_TIMEOUT);

    it('leaves no simulated iperf3 server running, and the simulation was asked nothing it does not know', async () => {
      const g = await observed(c);
      expect(g.runningIperfServers).toBe(0);
      expect(g.unexpectedCommands).toEqual([]);
    }, TEST_TIMEOUT);

    if (c.flood) {
      it(`keeps memory bounded while flooded (RSS growth under ${MAX_RSS_GROWTH_MB} MB)`, async () => {
        const g = await observed(c);
        expect(g.floodedBytes, 'the flood sent something').toBeGreaterThan(1_048_576);
        expect(g.rssGrowthMb).toBeLessThan(MAX_RSS_GROWTH_MB);
      }, TEST_TIMEOUT);
    }
  });
}

describe('a login the router refused (refuse-auth)', () => {
  it('is diagnosed login-refused, naming the user and the key offered, and the console prints no exercise hint', async () => {
    const { report } = await observed(CASES.find((c) => c.id === 'refuse-auth')!);
    const causes = (report.diagnoses ?? []).filter((d) => d.cause !== 'not-virtio');
    expect(causes.map((d) => `${d.cause} ${d.host}`)).toEqual(['login-refused router']);
    expect(causes[0]!.summary).toMatch(/refused the login of user [\w.-]+; the grader offered publickey \(\S+id_ed25519 from GRADER_SSH_KEY, ssh-ed25519, not encrypted\)/);
    expect(causes[0]!.fix.join('\n')).not.toMatch(/systemctl start ssh/);
    const text = renderConsole(report, { color: false });
    expect(text).toContain('[login-refused] the router VM:');
    expect(text, text).not.toMatch(/^→/m);
  }, TEST_TIMEOUT);
});

describe('the command line on a simulated lab with garbage in `ip route get` on VM1', () => {
  it('exits 1, writes both reports with the in-process verdicts, and prints no control characters', async () => {
    if (!cli) throw new Error('the CLI run was not started: see why beforeAll failed');
    const g = await cli;
    const context = `exit ${g.run.code}\n${g.run.stdout}${g.run.stderr}`;
    expect(g.run.code, context).toBe(1);
    expect(g.run.stderr, context).toBe('');
    expect(g.junitWritten, 'JUnit report written').toBe(true);
    expect(g.report, `JSON report written\n${context}`).toBeDefined();
    const inProcess = CASES.find((c) => c.id === 'garbage' && c.commands === '`ip route get`')!;
    expect(statusesOf(g.report!)).toEqual(statusesOf((await observed(inProcess)).report));
    expect(g.report!.results.find((r) => resultKey(r) === 'routes vm1')?.message).toMatch(inProcess.reason);
    expect(describeChars(g.run.stdout.replace(/\n/g, '').match(FORBIDDEN) ?? [])).toEqual([]);
    expect(g.run.stdout.match(ANSI_REMNANT) ?? []).toEqual([]);
    expect(g.runningIperfServers).toBe(0);
    expect(g.wallMs / 1000).toBeLessThan(GRADING_ALLOWANCE_S + 10);
  }, TEST_TIMEOUT);
});

describe('docs/faults.md', () => {
  it(`matches the outcomes observed, times aside${UPDATE ? ' (rewritten: UPDATE_FAULTS=1)' : ''}`, async () => {
    const settled = await Promise.allSettled(CASES.map(observed));
    const missing = settled.flatMap((s, i) => (s.status === 'rejected' ? [`${caseName(CASES[i]!)}: ${String(s.reason)}`] : []));
    expect(missing, 'faults not graded: the table needs every one').toEqual([]);
    const rows: FaultRow[] = settled.map((s, i) => {
      const g = (s as PromiseFulfilledResult<Grading>).value;
      const c = CASES[i]!;
      return { fault: c.id, vm: c.vm, commands: c.commands, statuses: statusesOf(g.report), seconds: g.wallMs / 1000, reportsWritten: g.reportsWritten };
    });
    const g = goodLab();
    const none: FaultRow = { fault: 'none', vm: '-', commands: '-', statuses: statusesOf(g.report), seconds: g.wallMs / 1000, reportsWritten: g.reportsWritten };
    const table = renderFaultTable([none, ...rows], RESULT_KEYS);
    const current = existsSync(FAULTS_DOC) ? faultTableIn(readFileSync(FAULTS_DOC, 'utf8')) : undefined;
    if (UPDATE || current === undefined) {
      await mkdir(join(REPO, 'docs'), { recursive: true });
      writeFileSync(FAULTS_DOC, faultsDocument(table, existsSync(FAULTS_DOC) ? readFileSync(FAULTS_DOC, 'utf8') : ''));
      return;
    }
    expect(stableColumns(current), 'docs/faults.md differs from what was observed; after checking why, regenerate it with UPDATE_FAULTS=1 npx vitest run test/faults').toBe(stableColumns(table));
  }, TEST_TIMEOUT);
});
