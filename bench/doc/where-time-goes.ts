// docs/BENCHMARKS.md: where the grader's time goes (parts of the overhead, timeline, start-up, a
// remote command's cost, the VMs' side, the CPU profile).
import type { BenchResults, RunRecord, StartupRecord } from '../results.ts';
import { sec, secRange, summarize } from '../stats.ts';
import type { TimedCheck } from '../timeline.ts';
import { encryptedKeySection } from './encrypted-key.ts';
import { countRange, cpuOf, med, mib, startupOf, table } from './format.ts';
import { overheadParts } from './one-lab.ts';

// Where a start goes, from the start-up rows: each step's wall time beyond the one before it.
function startupParts(r: BenchResults): string[] {
  const w = (key: StartupRecord['key']) => {
    const rec = startupOf(r, key);
    return rec ? med(rec.wallMs) : Number.NaN;
  };
  const steps = [
    ["node's own start (`node -e 0`)", w('node')],
    ['reading and compiling the one-file bundle with its dependencies (the bundle\'s `--help` beyond node)', w('bundle-help') - w('node')],
    ["the launcher's freshness check of the sources (`bin/grade.mjs --help` beyond the bundle's)", w('launcher-help') - w('bundle-help')],
    ['reading the check file: loading YAML and ajv, parsing, validating with the validator ajv compiled when the bundle was built (`--list` beyond `--help`)', w('list') - w('launcher-help')],
    ['`npm run` itself: npm, a node program of its own, starts before node starts the grader', w('npm-list') - w('list')],
  ] as const;
  if (steps.some(([, ms]) => !Number.isFinite(ms))) return [];
  return [
    `Where a start goes (medians' differences of the rows above; \`npm run grade -- --list\` took ${sec(w('npm-list'))} s in all). ` +
      'Each command imports only what it uses (grader/cli.ts loads grading, merge and rescore on demand; one lab never loads the class modules):',
    '',
    table(['part of the start', 'seconds'], steps.map(([what, ms]) => [what, sec(ms)])),
    '',
  ];
}

function timelineTable(r: BenchResults): string[] {
  if (r.timeline.length === 0) return [];
  const keys = r.timeline[0]!.checks.map((c) => c.result);
  const at = (key: string, pick: (c: TimedCheck) => number) =>
    summarize(r.timeline.map((t) => t.checks.find((c) => c.result === key)).filter((c): c is TimedCheck => c !== undefined).map(pick));
  const rows = [...keys]
    .sort((a, b) => at(a, (c) => c.endMs).median - at(b, (c) => c.endMs).median)
    .map((key) => {
      const phase = r.timeline[0]!.checks.find((c) => c.result === key)!.phase;
      return [key, phase, sec(at(key, (c) => c.startMs).median), sec(at(key, (c) => c.endMs).median)];
    });
  return [
    `The grading of one lab as a timeline (in-process \`gradeLab\`, as the CLI runs it, ${r.timeline.length} runs, medians; seconds from the start, ` +
      `total ${sec(med(r.timeline.map((t) => t.durationMs)))} s), in the order the checks finished:`,
    '',
    table(['result', 'phase', 'started', 'ended'], rows),
    '',
  ];
}

// What the grader's command wrapper costs over a bare exec, as measured (it may be lost in the noise).
function sessionGain(r: BenchResults): string {
  const grader = r.channels.find((c) => c.mode === 'grader');
  const raw = r.channels.find((c) => c.mode === 'ssh2-raw');
  if (!grader || !raw) return '';
  const ratio = med(raw.perCommandMs) / Math.max(0.1, med(grader.perCommandMs));
  return `Against a new bare ssh2 exec channel per command, a command in a session took ${ratio.toFixed(1)}× less wall here.`;
}

function labSplitParts(r: BenchResults): string[] {
  const rows = (
    [
      ['every check but iperf (`--only`)', r.labSplit.withoutIperf],
      ['iperf alone (`--only iperf`)', r.labSplit.iperfOnly],
    ] as const
  )
    .filter(([, runs]) => runs.length > 0)
    .map(([label, runs]) => [
      label,
      String(runs.length),
      secRange(summarize(runs.map((x) => x.wallMs))),
      secRange(summarize(runs.map((x) => x.cpuMs))),
      countRange(summarize(runs.map((x) => x.connections))),
      countRange(summarize(runs.map((x) => x.channels))),
    ]);
  return [
    "### The VMs' side of one lab",
    '',
    `What grading one lab costs the VMs (their sshd, the login shells, the wrapper and the commands), the grader run on ${r.singleLab} with part of the checks; ` +
      'each run connects and discovers (3 connections, a session each) before its checks:',
    '',
    table(['grader run', 'runs', 'wall (s)', 'lab-side CPU (s)', 'connections', 'channels'], rows),
    '',
  ];
}

// What loading the TypeScript sources through tsx at every start would cost per run: the shipped
// (precompiled) CLI against the same CLI through tsx, both graded the same lab in the same interleaved series.
function throughTsx(r: BenchResults): string[] {
  const tsx = r.single['grader-tsx'];
  if (!tsx?.length) return [];
  const d = (pick: (x: RunRecord) => number) => med(tsx.map(pick)) - med(r.single.grader.map(pick));
  const list = [startupOf(r, 'list'), startupOf(r, 'list-tsx')].filter((x) => x !== undefined);
  const listGain = list.length === 2 ? med(list[1]!.wallMs) - med(list[0]!.wallMs) : Number.NaN;
  const wall = d((x) => x.overheadMs);
  return [
    `The same CLI through tsx, as it shipped before (\`grader-tsx\` in the one-lab table, graded in the same interleaved series), had a median ` +
      `overhead of ${sec(med(tsx.map((x) => x.overheadMs)))} s against ${sec(med(r.single.grader.map((x) => x.overheadMs)))} s precompiled, and used ` +
      `${sec(med(tsx.map(cpuOf)))} CPU-s against ${sec(med(r.single.grader.map(cpuOf)))}: transpiling the TypeScript sources at every ` +
      `start costs ${sec(d(cpuOf))} CPU-s per lab graded` +
      (wall > 0
        ? ` and ${sec(wall)} s of wall (medians' difference; the \`--list\` rows above say ${sec(listGain)} s).`
        : `; on the wall clock the difference of the grading runs' medians (${sec(wall)} s) is lost in the noise, the \`--list\` rows above put it at ${sec(listGain)} s.`),
    '',
  ];
}

export function whereTimeGoes(r: BenchResults): string {
  const runs = r.single.grader.filter((x) => x.phases);
  const components = overheadParts(r);
  const overhead = med(r.single.grader.map((x) => x.overheadMs));
  const checkIds = Object.keys(runs[0]?.phases?.checks ?? {});
  const checkRows = checkIds.map((id) => [id, secRange(summarize(runs.map((x) => x.phases!.checks[id] ?? Number.NaN)))]);
  const startupRows = r.startup.map((s) => [s.label, secRange(summarize(s.wallMs)), secRange(summarize(s.cpuMs)), mib(med(s.maxRssKb))]);
  const channelRows = r.channels.map((c) => {
    const per = summarize(c.perCommandMs);
    return [
      c.mode,
      c.connectMs > 0 ? sec(c.connectMs) : '—',
      `${(per.median).toFixed(0)} (${per.min.toFixed(0)}–${per.max.toFixed(0)})`,
      (c.clientCpuMs / c.commands).toFixed(0),
      (c.lab.cpuMs / c.commands).toFixed(0),
      `${c.lab.connections} / ${c.lab.channels}`,
    ];
  });
  const grChannels = med(r.single.grader.map((x) => x.lab.channels));
  const prof = r.profile;
  const profParts: string[] = [];
  if (prof) {
    const busy = prof.cpu.totalMs - prof.cpu.idleMs;
    profParts.push(
      `### CPU profile of one grading run (\`node --cpu-prof\`, main thread)`,
      '',
      `Wall ${sec(prof.run.wallMs)} s, process CPU ${sec(cpuOf(prof.run))} s (the profile slows the process a little). ` +
        `Profiled span ${sec(prof.cpu.totalMs)} s, of which ${sec(busy)} s on the CPU and ${sec(prof.cpu.idleMs)} s idle (waiting on the network and the VMs).`,
      '',
      table(['component (self time)', 'CPU ms', 'share of busy'], prof.cpu.components.slice(0, 10).map((c) => [c.name, c.ms.toFixed(0), `${((100 * c.ms) / busy).toFixed(0)} %`])),
      '',
      table(['function (self time)', 'CPU ms'], prof.cpu.functions.slice(0, 12).map((f) => [`\`${f.name}\``, f.ms.toFixed(0)])),
      '',
      "The run profiled is `npm run grade`'s (`bin/grade.mjs`, the precompiled bundle); the bundle's frames are counted under the " +
        'grader sources they were bundled from. `parseCJS`/`wrapSafe` load the CommonJS dependencies (ssh2, ajv, yaml, dotenv, ' +
        'junit-report-builder); the check-file, inventory and report schemas come compiled in the bundle (scripts/precompiled-validators.ts), not at every start.',
    );
  }
  return [
    "## Where the grader's time goes",
    '',
    `The grader's overhead on one lab in parts, median (min–max), seconds, largest first. The process's part comes from the ${runs.length} CLI runs ` +
      `of the one-lab table (median overhead ${sec(overhead)} s), the others from ${r.timeline.length} in-process gradings of the same lab ` +
      `(timeline below); they add up to about the overhead.`,
    '',
    table(['part of the overhead', 'seconds'], components.map((c) => [c.name, secRange(c.s)])),
    '',
    ...timelineTable(r),
    'Each check as the JSON reports of the CLI runs time it (a check\'s `durationMs` includes waiting for a free session):',
    '',
    table(['result', 'seconds'], checkRows),
    '',
    'Starting the process, measured alone (no lab contacted):',
    '',
    table(['command', 'wall (s)', 'CPU (s)', 'peak RSS'], startupRows),
    '',
    ...startupParts(r),
    ...throughTsx(r),
    ...encryptedKeySection(r),
    `### What one remote command costs here`,
    '',
    `\`bench/channel-cost.ts\` runs \`true\` ${r.channels[0]?.commands ?? 10} times, one after another, on ${r.singleLab}'s VM1, four ways. ` +
      "Milliseconds per command (wall), client CPU and the VM's sshd CPU per command (connection set-up included in both), and what sshd's log counted:",
    '',
    table(['way', 'connect (s)', 'per command, ms: median (min–max)', 'client CPU ms / command', 'lab-side CPU ms / command', 'connections / channels'], channelRows),
    '',
    "A new channel costs the VM's sshd a fork, a session and a login shell before the command runs, whatever the client: the mux and " +
      "raw-ssh2 rows pay it on every command. The grader's transport pays it once per session: the login shell runs `exec sh`, and each " +
      'command is one line written to that `sh`: a begin marker, `sh -c COMMAND` under `timeout -k` (stdin from /dev/null), an end ' +
      'marker carrying the exit status (grader/transport/command-wrapper.ts). ' +
      sessionGain(r) +
      ` The grader opened a median ${grChannels} channels per lab (one-lab table): two command sessions per VM at connection time (the ` +
      "inspections that run together on a VM, the iperf3 server holding VM3's while it waits for the client), and the witness channels " +
      "(grader/transport/ssh-host.ts: two on the router, one on VM3), each serving read after read.",
    '',
    ...labSplitParts(r),
    ...profParts,
  ].join('\n');
}
