// What one part of grading costs, measured apart: starting the CLI, one remote command, the VMs'
// side of one lab, the timeline of one grading.
import { join, relative } from 'node:path';
import type { CheckSpec } from '../grader/config/check-file.ts';
import { CHANNEL_MODES, type ChannelCost } from './channel-cost.ts';
import { graderArgv, graderEnv, REPO, type BenchContext, type LabRef } from './contenders.ts';
import type { LabSide } from './lab-side.ts';
import { measure } from './measure.ts';
import type { ChannelRecord, LabSplitRecord, StartupRecord } from './results.ts';
import type { Timeline } from './timeline.ts';

export async function startupCosts(runs: number, checksPath: string): Promise<StartupRecord[]> {
  const list = ['--list', '--checks', checksPath];
  const cases: Array<Pick<StartupRecord, 'key' | 'label'> & { argv: string[] }> = [
    { key: 'node', label: 'node, nothing loaded (`node -e 0`)', argv: [process.execPath, '-e', '0'] },
    { key: 'bundle-help', label: 'the precompiled bundle alone, `--help` (`node dist/grader-cli.mjs --help`)', argv: [process.execPath, join(REPO, 'dist', 'grader-cli.mjs'), '--help'] },
    { key: 'launcher-help', label: 'the launcher and the bundle, `--help` (`node bin/grade.mjs --help`)', argv: graderArgv(['--help']) },
    { key: 'list', label: 'grader CLI as shipped (precompiled, bin/grade.mjs), checks listed, no lab (`--list`)', argv: graderArgv(list) },
    { key: 'npm-list', label: 'the same as users type it: `npm run grade -- --list`', argv: ['npm', 'run', '--silent', 'grade', '--', ...list] },
    { key: 'list-tsx', label: 'grader CLI through tsx (how it shipped before), `--list`', argv: graderArgv(list, [], { tsx: true }) },
  ];
  const records: StartupRecord[] = [];
  for (const c of cases) {
    const rec: StartupRecord = { key: c.key, label: c.label, argv: c.argv.map((a) => (a.startsWith('/') ? relative(REPO, a) || a : a)).join(' '), wallMs: [], cpuMs: [], maxRssKb: [] };
    for (let i = 0; i < runs + 1; i++) {
      const m = await measure({ argv: c.argv, cwd: REPO, env: graderEnv() });
      if (m.exitCode !== 0) throw new Error(`${rec.argv} failed: ${m.stderr}`);
      if (i === 0) continue; // warm-up
      rec.wallMs.push(m.wallMs);
      rec.cpuMs.push(m.userMs + m.sysMs);
      rec.maxRssKb.push(m.maxRssKb);
    }
    records.push(rec);
  }
  return records;
}

export async function channelCosts(lab: LabRef, side: LabSide, commands: number): Promise<ChannelRecord[]> {
  const records: ChannelRecord[] = [];
  for (const mode of CHANNEL_MODES) {
    const argv = [process.execPath, '--import', 'tsx', join(REPO, 'bench', 'channel-cost.ts'), mode, String(commands), lab.management.vm1, lab.keyPath, lab.knownHostsPath];
    await side.settle();
    const mark = side.mark();
    const m = await measure({ argv, cwd: REPO, env: graderEnv() });
    await side.settle();
    if (m.exitCode !== 0) throw new Error(`channel-cost ${mode} failed: ${m.stderr}`);
    const cost = JSON.parse(m.stdout.trim().split('\n').pop()!) as ChannelCost;
    records.push({ mode, commands, connectMs: cost.connectMs, perCommandMs: cost.perCommandMs, clientCpuMs: m.userMs + m.sysMs, lab: side.since(mark) });
  }
  return records;
}

// The lab side's CPU for one lab, split: every check but iperf, then iperf alone (whose 2-second
// transfer takes whatever CPU is free: time-bound, not a fixed amount of work).
export async function labSideSplit(lab: LabRef, ctx: BenchContext, side: LabSide, checks: CheckSpec[], runs: number): Promise<LabSplitRecord> {
  const withoutIperf = checks.filter((c) => c.kind.kind !== 'iperf').map((c) => c.id);
  const iperf = checks.filter((c) => c.kind.kind === 'iperf').map((c) => c.id);
  const split: LabSplitRecord = { withoutIperf: [], iperfOnly: [] };
  for (let i = 0; i < runs; i++) {
    for (const [only, into] of [[withoutIperf, split.withoutIperf], [iperf, split.iperfOnly]] as const) {
      if (only.length === 0) continue;
      const args = ['--host', lab.name, '--inventory', lab.inventoryPath, '--checks', ctx.checksPath, '--only', only.join(','), '--out', join(ctx.scratch, 'split'), '--host-key-checking', 'strict'];
      await side.settle();
      const mark = side.mark();
      const m = await measure({ argv: graderArgv(args), cwd: REPO, env: graderEnv() });
      await side.settle();
      if (m.exitCode === null || m.exitCode > 1) throw new Error(`grade --only ${only.join(',')} failed: ${m.stderr.slice(-1500)}`);
      into.push({ ...side.since(mark), wallMs: m.wallMs });
    }
  }
  return split;
}

export async function gradingTimelines(lab: LabRef, ctx: BenchContext, side: LabSide, runs: number): Promise<Timeline[]> {
  await side.settle();
  const argv = [process.execPath, '--import', 'tsx', join(REPO, 'bench', 'timeline.ts'), lab.inventoryPath, lab.name, ctx.checksPath, String(runs)];
  const m = await measure({ argv, cwd: REPO, env: graderEnv() });
  await side.settle();
  if (m.exitCode !== 0) throw new Error(`bench/timeline.ts failed: ${m.stderr.slice(-1500)}`);
  return JSON.parse(m.stdout.trim().split('\n').pop()!) as Timeline[];
}
