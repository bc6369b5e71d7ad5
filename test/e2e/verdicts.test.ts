// End to end: every reference-lab variant built on this machine (root), graded over real SSH,
// and every verdict compared with what the grader's designer intends (expected-verdicts.ts).
// Labs are built two at a time at most; the variants whose iperf figure matters are graded alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, Status } from '../../grader/core/result.ts';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { VARIANTS as ALL_VARIANTS, type LabHandle, type Variant } from '../../labs/netns/api.ts';
import { variantSpec } from '../../labs/netns/variants.ts';
import { REPO } from '../support/run-cli.ts';
import { RESULT_KEYS, resultKey } from '../support/exercise-results.ts';
import { expectedFor, expectedMessage, HONEST_VARIANTS, type ResultKey } from './expected-verdicts.ts';
import { exerciseChecks, runVariant, Slots, type VariantRun } from './lab-runs.ts';
import { renderVerdictTable, tableInReadme, withTable } from './verdict-table.ts';
import { COMMANDS_RUN, EXPECTED_DIAGNOSES, FIXABLE, observedDiagnoses, type NicRef } from './expected-diagnoses.ts';
import { DIAGNOSIS_BLOCK, renderDiagnosisTable } from './diagnosis-table.ts';

const TEST_TIMEOUT = 120_000;
/** Where the verdict and diagnosis tables are kept (they were the README's last sections). */
const GOLDEN_TABLES = join(REPO, 'docs', 'golden-tables.md');
const UPDATE = process.env.UPDATE_VERDICTS === '1';
/** Graded with no other lab busy: their iperf figure is part of the verdict. */
const ALONE: ReadonlySet<Variant> = new Set(['good', 'slow-link']);
/** Also graded through the command line. */
const THROUGH_CLI: ReadonlySet<Variant> = new Set(['good', 'router-down']);
/**
 * A contributor working on some variants may run only those: VERDICT_VARIANTS=a,b (the golden
 * tables and the command-line tests need every variant, and are left out of such a run).
 */
const CHOSEN = process.env.VERDICT_VARIANTS?.split(',').map((v) => v.trim()).filter(Boolean);
const unknownChosen = (CHOSEN ?? []).filter((v) => !(ALL_VARIANTS as readonly string[]).includes(v));
if (unknownChosen.length > 0) throw new Error(`VERDICT_VARIANTS names no variant: ${unknownChosen.join(', ')}`);
const VARIANTS: readonly Variant[] = CHOSEN ? ALL_VARIANTS.filter((v) => CHOSEN.includes(v)) : ALL_VARIANTS;
const describeWhole = CHOSEN ? describe.skip : describe;

const runs = new Map<Variant, Promise<VariantRun>>();
const labsUp = new Set<LabHandle>();

function observed(variant: Variant): Promise<VariantRun> {
  const run = runs.get(variant);
  if (!run) throw new Error(`no lab was started for ${variant}: see why beforeAll failed`);
  return run;
}

function statusesOf(report: LabReport): Record<string, Status> {
  return Object.fromEntries(report.results.map((r) => [resultKey(r), r.status]));
}

function expectedStatuses(variant: Variant): Record<ResultKey, Status> {
  return Object.fromEntries(RESULT_KEYS.map((key) => [key, expectedFor(variant, key).status])) as Record<ResultKey, Status>;
}

// What the grader said, one line per result: the context of every failed comparison.
function verdictLines(report: LabReport): string {
  return report.results.map((r) => `${resultKey(r)}: ${r.status}: ${r.message}`).join('\n');
}

// The diagnoses of a run, their NICs named by VM and network.
function diagnosesOf(run: VariantRun, report: LabReport = run.report) {
  const nicRef = (host: string, nic: string): NicRef | undefined => {
    const byNetwork = run.nics[host as keyof VariantRun['nics']] ?? {};
    const network = Object.entries(byNetwork).find(([, name]) => name === nic)?.[0];
    return network ? (`${host}/${network}` as NicRef) : undefined;
  };
  return observedDiagnoses(report.diagnoses, nicRef);
}

function resultOf(report: LabReport, key: ResultKey): CheckResult | undefined {
  return report.results.find((r) => resultKey(r) === key);
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('the end-to-end suite builds network namespaces: run it as root');
  const checks = await exerciseChecks();
  const slots = new Slots(2);
  const pid = process.pid;
  for (const variant of VARIANTS) {
    const run = slots.use(ALONE.has(variant) ? slots.capacity : 1, () =>
      runVariant(variant, { name: `e2e${pid}-${variant}`, checks, cli: THROUGH_CLI.has(variant), labsUp, applyFixes: FIXABLE.includes(variant) || COMMANDS_RUN.includes(variant) }),
    );
    run.catch(() => undefined); // reported by the tests that await it
    runs.set(variant, run);
  }
});

afterAll(async () => {
  // Runs tear their labs down themselves; one still up after a generous wait is torn down here.
  const patience = new AbortController();
  await Promise.race([Promise.allSettled(runs.values()), sleep(240_000, undefined, { signal: patience.signal }).catch(() => undefined)]);
  patience.abort();
  const stuck = [...labsUp];
  await Promise.all(stuck.map((lab) => lab.down().catch(() => undefined)));
  const timings = await Promise.all(
    [...runs].map(async ([variant, run]) => `${variant}: ${await run.then((r) => `${(r.durationMs / 1000).toFixed(1)} s`, (e: unknown) => `failed (${String(e)})`)}`),
  );
  if (timings.length > 0) console.log(`e2e lab runs (up to last observation):\n  ${timings.join('\n  ')}`);
  if (stuck.length > 0) throw new Error(`labs still up when the suite ended, torn down now: ${stuck.map((l) => l.name).join(', ')}`);
}, 300_000);

for (const variant of VARIANTS) {
  describe(`reference lab ${variant}`, () => {
    it('gives every result the expected status', async () => {
      const { report } = await observed(variant);
      expect(statusesOf(report), verdictLines(report)).toEqual(expectedStatuses(variant));
      expect(report.results.map(resultKey), 'one result per check and host, in check-file order').toEqual([...RESULT_KEYS]);
    }, TEST_TIMEOUT);

    it('flags for review the signs its kits leave (hooks, mounts), and none on a lab without kits', async () => {
      const { report } = await observed(variant);
      expect((report.review ?? []).map((f) => `${f.host} ${f.sign}`), JSON.stringify(report.review)).toEqual([...(variantSpec(variant).review ?? [])]);
    }, TEST_TIMEOUT);

    it('shows the key evidence', async () => {
      const { report, addresses } = await observed(variant);
      for (const key of RESULT_KEYS) {
        const expected = expectedFor(variant, key);
        const result = resultOf(report, key);
        const message = expectedMessage(expected, addresses);
        if (message) expect.soft(result?.message ?? '(no such result)', `${key}: message`).toMatch(message);
        if (expected.hint) expect.soft(result?.hint ?? '(no hint)', `${key}: hint`).toMatch(expected.hint);
        // An honest mistake is never put as a contradiction between witnesses.
        if (HONEST_VARIANTS.includes(variant)) expect.soft(result?.message ?? '', `${key}: an honest mistake`).not.toMatch(/witnesses disagree/);
        if (expected.measurement) {
          const { name, description, holds } = expected.measurement;
          const value = result?.measurements[name];
          expect.soft(value !== undefined && holds(value), `${key}: ${name} ${description}, got ${value}`).toBe(true);
        }
      }
    }, TEST_TIMEOUT);

    it('scores the sum of the points of the passed results', async () => {
      const { report, checks } = await observed(variant);
      const points = new Map(checks.map((c) => [c.id, c.points]));
      const worth = (r: CheckResult) => points.get(r.id) ?? Number.NaN;
      for (const r of report.results) expect.soft(r.points, resultKey(r)).toBe(r.status === 'pass' ? worth(r) : 0);
      expect(report.score).toBe(report.results.filter((r) => r.status === 'pass').reduce((sum, r) => sum + worth(r), 0));
      expect(report.maxScore).toBe(report.results.reduce((sum, r) => sum + worth(r), 0));
    }, TEST_TIMEOUT);

    it('writes a JUnit report that validates against its schema', async () => {
      const { junitValidation } = await observed(variant);
      expect(junitValidation.code, junitValidation.output).toBe(0);
    }, TEST_TIMEOUT);

    it('names the expected causes, in the order to fix them, and a not-virtio for every VM reached', async () => {
      const run = await observed(variant);
      const lines = (run.report.diagnoses ?? []).map((d) => `${d.cause} ${d.host} ${d.nic ?? ''}: ${d.summary} | ${d.fix.join(' ; ')}`).join('\n');
      expect(diagnosesOf(run), `${lines}\n${verdictLines(run.report)}`).toEqual(EXPECTED_DIAGNOSES[variant]);
      const reached = run.report.hosts.filter((h) => h.reachable).map((h) => h.role);
      expect((run.report.diagnoses ?? []).filter((d) => d.cause === 'not-virtio').map((d) => d.host)).toEqual(reached);
      for (const d of run.report.diagnoses ?? []) {
        expect(d.fix.length, `${d.cause}: a fix`).toBeGreaterThan(0);
        expect(d.results.length > 0 || d.cause === 'not-virtio', `${d.cause}: explains a result`).toBe(true);
      }
    }, TEST_TIMEOUT);

    if (FIXABLE.includes(variant)) {
      it('passes (but virtio) once the printed "What to fix" commands are typed, as printed, in the VMs\' shells', async () => {
        const { afterFix } = await observed(variant);
        if (!afterFix) throw new Error('the fixes were not applied');
        const applied = afterFix.applied.map((f) => `${f.host}$ ${f.command} -> exit ${f.code} ${f.output.trim()}`).join('\n');
        expect(afterFix.applied.length, 'commands applied').toBeGreaterThan(0);
        for (const f of afterFix.applied) expect(f.code, `${f.host}$ ${f.command}: ${f.output}`).toBe(0);
        const notPassed = afterFix.report.results.filter((r) => r.kind !== 'virtio' && r.status !== 'pass');
        expect(notPassed.map((r) => `${resultKey(r)}: ${r.status}: ${r.message}`), applied).toEqual([]);
      }, TEST_TIMEOUT);
    }

    if (COMMANDS_RUN.includes(variant)) {
      it('runs every printed "What to fix" command, as printed, in the VMs\' shells (sudo and dhclient included)', async () => {
        const { afterFix } = await observed(variant);
        if (!afterFix) throw new Error('the fixes were not applied');
        expect(afterFix.applied.filter((f) => !f.command.startsWith('#')).length, 'commands applied').toBeGreaterThan(0);
        for (const f of afterFix.applied) expect(f.code, `${f.host}$ ${f.command}: ${f.output}`).toBe(0);
        const dhclients = afterFix.applied.filter((f) => f.ownLease !== undefined);
        expect(dhclients.length, 'dhclient commands typed').toBeGreaterThan(0);
        for (const f of dhclients) {
          expect(f.output, `${f.host}$ ${f.command}`).toMatch(/bound to/);
          expect(f.ownLease, `${f.host}: a lease in the VM's own lease file`).toMatch(/^lease \{/m);
        }
      }, TEST_TIMEOUT);
    }

    it('leaves no iperf3 server running in VM3', async () => {
      const { iperfServersLeft } = await observed(variant);
      expect(iperfServersLeft).toEqual([]);
    }, TEST_TIMEOUT);
  });
}

describeWhole('the command line on the reference lab', () => {
  it('good: exit 1 (the veths), the score and the diagnoses on the console, both reports written', async () => {
    const { cli, checks } = await observed('good');
    if (!cli) throw new Error('the good lab was not graded through the CLI');
    const context = `exit ${cli.run.code}\n${cli.run.stdout}${cli.run.stderr}`;
    expect(cli.run.code, context).toBe(1);
    const worth = (key: string) => checks.find((c) => c.id === key.split(' ')[0])?.points ?? Number.NaN;
    const score = RESULT_KEYS.filter((k) => expectedFor('good', k).status === 'pass').reduce((sum, k) => sum + worth(k), 0);
    const maxScore = RESULT_KEYS.reduce((sum, k) => sum + worth(k), 0);
    expect(cli.run.stdout, context).toMatch(new RegExp(`^Score: ${score}/${maxScore}\\b`, 'm'));
    // The best a reference lab can do (its inventory says npm run lab built it), and good does it.
    expect(cli.run.stdout, context).toMatch(new RegExp(`^${score}/${maxScore}: the best a namespace lab can score`, 'm'));
    // The advice for the veths is said once: each VM's not-virtio diagnosis, no hint line beside it.
    const virtioHint = checks.find((c) => c.id === 'virtio')!.hint;
    const lines = cli.run.stdout.split('\n');
    expect(lines.filter((l) => l.includes(virtioHint.slice(0, 40))), context).toEqual([]);
    for (const host of ['vm1', 'router', 'vm3']) {
      expect(lines.some((l) => l.trim() === `Explains: virtio ${host}`), `the not-virtio diagnosis of ${host}\n${context}`).toBe(true);
    }
    expect(cli.junitWritten, 'JUnit report written').toBe(true);
    expect(cli.report, 'JSON report written').toBeDefined();
    expect(statusesOf(cli.report!)).toEqual(expectedStatuses('good'));
    expect(cli.iperfServersLeft).toEqual([]);
  }, TEST_TIMEOUT);

  it('router-down: exit 1; what needs the router (its checks, and the witness of ping and iperf) is an error naming it, the rest is graded', async () => {
    const { cli, addresses } = await observed('router-down');
    if (!cli) throw new Error('the router-down lab was not graded through the CLI');
    const context = `exit ${cli.run.code}\n${cli.run.stdout}${cli.run.stderr}`;
    expect(cli.run.code, context).toBe(1);
    expect(cli.report, `JSON report written\n${context}`).toBeDefined();
    const report = cli.report!;
    expect(statusesOf(report), verdictLines(report)).toEqual(expectedStatuses('router-down'));
    for (const r of report.results.filter((r) => r.host === 'router')) expect(r.status, resultKey(r)).toBe('error');
    for (const r of report.results.filter((r) => r.status === 'error')) expect(r.message, resultKey(r)).toContain(`router VM (root@${addresses.router.management})`);
    for (const key of ['virtio vm1', 'virtio vm3'] as const) {
      expect(['pass', 'fail'], `${key} graded`).toContain(statusesOf(report)[key]);
    }
    // Ping and iperf reach VM3, but their router witness could not be asked: unconfirmed.
    for (const key of ['ping vm1', 'iperf vm1'] as const) expect(statusesOf(report)[key], key).toBe('error');
    expect(report.hosts.find((h) => h.role === 'router')?.reachable).toBe(false);
    expect(cli.run.stdout).toMatch(/^Score: \d+\/15\b/m);
    expect(cli.iperfServersLeft).toEqual([]);
  }, TEST_TIMEOUT);
});

describeWhole('the golden diagnosis table (docs/golden-tables.md)', () => {
  it(`matches the diagnoses observed on every variant${UPDATE ? ' (rewritten: UPDATE_VERDICTS=1)' : ''}`, async () => {
    const settled = await Promise.allSettled(VARIANTS.map(observed));
    const missing = settled.flatMap((s, i) => (s.status === 'rejected' ? [`${VARIANTS[i]}: ${String(s.reason)}`] : []));
    expect(missing, 'variants not graded: the table needs every one').toEqual([]);
    const rows = settled.map((s, i) => [VARIANTS[i]!, diagnosesOf((s as PromiseFulfilledResult<VariantRun>).value)] as [Variant, ReturnType<typeof diagnosesOf>]);
    const table = renderDiagnosisTable(rows);
    const readme = readFileSync(GOLDEN_TABLES, 'utf8');
    const current = tableInReadme(readme, DIAGNOSIS_BLOCK);
    if (UPDATE || current === undefined) {
      writeFileSync(GOLDEN_TABLES, withTable(readme, table, DIAGNOSIS_BLOCK));
      return;
    }
    expect(current, 'docs/golden-tables.md diagnosis table differs from what was observed; regenerate it with UPDATE_VERDICTS=1 npm test -- test/e2e').toBe(table);
  }, TEST_TIMEOUT);
});

describeWhole('the golden verdict table (docs/golden-tables.md)', () => {
  it(`matches the verdicts observed on every variant${UPDATE ? ' (rewritten: UPDATE_VERDICTS=1)' : ''}`, async () => {
    const settled = await Promise.allSettled(VARIANTS.map(observed));
    const rows: Array<[Variant, Record<string, Status>]> = [];
    const missing: string[] = [];
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') rows.push([VARIANTS[i]!, statusesOf(s.value.report)]);
      else missing.push(`${VARIANTS[i]}: ${String(s.reason)}`);
    });
    expect(missing, 'variants not graded: the table needs every one').toEqual([]);
    const table = renderVerdictTable(rows);
    const readme = readFileSync(GOLDEN_TABLES, 'utf8');
    const current = tableInReadme(readme);
    if (UPDATE || current === undefined) {
      writeFileSync(GOLDEN_TABLES, withTable(readme, table));
      return;
    }
    expect(current, 'docs/golden-tables.md verdict table differs from what was observed; after checking why, regenerate it with UPDATE_VERDICTS=1 npm test -- test/e2e').toBe(table);
  }, TEST_TIMEOUT);
});
