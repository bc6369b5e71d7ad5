// docs/BENCHMARKS.md from one benchmark run's results.
import { CONTENDER_LABELS, SERIES, type ContenderId } from './contenders.ts';
import type { BenchResults, ClassRecord, KeyDecryptionRecord, RunRecord, StartupRecord } from './results.ts';
import { timelineParts, type TimelineParts } from './profile.ts';
import { ratio, sec, secRange, summarize, type Summary } from './stats.ts';
import type { TimedCheck } from './timeline.ts';

const cpuOf = (r: RunRecord) => r.userMs + r.sysMs + r.detachedCpuMs;
const med = (values: number[]) => summarize(values).median;
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;
const yes = (ok: boolean) => (ok ? '**met**' : '**missed**');

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: Array<Array<string | number>>, align?: string[]): string {
  return [row(header), row(align ?? header.map(() => '---')), ...rows.map(row)].join('\n');
}

function series(results: BenchResults, c: ContenderId, pick: (r: RunRecord) => number): Summary {
  return summarize(results.single[c].map(pick));
}

function countRange(s: Summary): string {
  return s.min === s.max ? String(s.median) : `${s.median} (${s.min}–${s.max})`;
}

const startupOf = (r: BenchResults, key: StartupRecord['key']) => r.startup.find((x) => x.key === key);

interface KeyCost {
  /** One lab graded alone: medians' difference, encrypted minus plain, ms. */
  aloneMs: number;
  aloneCpuMs: number;
  /** Per lab of the class graded at once: the difference of the class runs' medians over the class size, ms. */
  perClassLabMs?: number;
  perClassLabCpuMs?: number;
}

// What the encrypted key costs on top of the plain one: alone, and per lab of a class.
function keyCost(r: BenchResults): KeyCost | undefined {
  const enc = r.single['grader-encrypted-key'];
  if (!enc?.length) return undefined;
  const d = (pick: (x: RunRecord) => number) => med(enc.map(pick)) - med(r.single.grader.map(pick));
  const k = r.class;
  const perLab = (pick: (c: ClassRecord) => number) => (k?.encrypted.length ? (med(k.encrypted.map(pick)) - med(k.concurrent.map(pick))) / k.size : undefined);
  const perClassLabMs = perLab((c) => c.wallMs);
  const perClassLabCpuMs = perLab((c) => c.cpuMs);
  return {
    aloneMs: d((x) => x.overheadMs),
    aloneCpuMs: d(cpuOf),
    ...(perClassLabMs === undefined ? {} : { perClassLabMs, perClassLabCpuMs: perClassLabCpuMs! }),
  };
}

function keyTargets(r: BenchResults, rows: string[][], misses: string[]): void {
  const cost = keyCost(r);
  if (!cost) return;
  const target = 'with an encrypted key, a lab\'s grading overhead within 0.05 s of a plain key\'s';
  const alone = cost.aloneMs <= 50;
  rows.push([`${target}: a lab graded alone`, `+${sec(cost.aloneMs)} s wall, +${sec(cost.aloneCpuMs)} CPU-s (one decryption)`, yes(alone)]);
  const inC = r.keyDecryption ? `, which takes ${sec(med(r.keyDecryption.opensshMs))} CPU-s even in OpenSSH's C` : '';
  if (!alone) misses.push(`encrypted key, one lab alone: +${sec(cost.aloneMs)} s instead of ≤ 0.05 s: the one decryption of the key${inC} (see "An encrypted key")`);
  if (cost.perClassLabMs !== undefined) {
    const ok = cost.perClassLabMs <= 50;
    rows.push([`${target}: a lab of a class of ${r.class!.size}`, `${cost.perClassLabMs >= 0 ? '+' : ''}${sec(cost.perClassLabMs, 3)} s wall, ${cost.perClassLabCpuMs! >= 0 ? '+' : ''}${sec(cost.perClassLabCpuMs!, 3)} CPU-s per lab`, yes(ok)]);
    if (!ok) misses.push(`encrypted key, per lab of the class: +${sec(cost.perClassLabMs, 3)} s instead of ≤ 0.05 s`);
  }
}

// One decryption measured alone, three ways, and how the grader's compares.
function decryptionTimes(k: KeyDecryptionRecord): string {
  const runs = `${k.ssh2Ms.length} runs each`;
  const ssh2 = `${secRange(summarize(k.ssh2Ms))} s in ssh2's (JavaScript, as the grader did it before)`;
  const openssh = `${secRange(summarize(k.opensshMs))} CPU-s in OpenSSH's \`ssh-keygen -y\` (C)`;
  if (!k.graderMs?.length) return `Measured alone, one decryption took ${ssh2} and ${openssh}, ${runs}.`;
  return (
    `Measured alone, one decryption took ${secRange(summarize(k.graderMs))} s in the grader's own bcrypt_pbkdf (grader/transport/bcrypt-pbkdf.ts, JavaScript), ` +
    `${ssh2} and ${openssh}, ${runs}: the grader's is ${ratio(med(k.ssh2Ms), med(k.graderMs))} faster than ssh2's and ` +
    `${ratio(med(k.graderMs), med(k.opensshMs))} slower than OpenSSH's.`
  );
}

function encryptedKeySection(r: BenchResults): string[] {
  const cost = keyCost(r);
  if (!cost) return [];
  const perRun = 'The grader decrypts the key once per run (grader/transport/credentials.ts keeps the parsed key per key and passphrase), not once per connection';
  return [
    '### An encrypted key',
    '',
    `\`grader-encrypted-key\` in the one-lab table is the grader on the same lab with the lab's key encrypted by \`ssh-keygen -p\` ` +
      "(OpenSSH's format, its default bcrypt KDF with 16 rounds), the passphrase in the environment: " +
      `a median overhead ${sec(cost.aloneMs)} s and ${sec(cost.aloneCpuMs)} CPU-s above the plain key's. ${perRun}: ` +
      'a lab graded alone pays that one decryption, which the KDF makes slow on purpose, and three VMs would otherwise pay it three times.' +
      (r.keyDecryption ? ` ${decryptionTimes(r.keyDecryption)}` : '') +
      (cost.perClassLabMs !== undefined
        ? ` A class pays it once for all its labs: graded at once, the class took ${sec(cost.perClassLabMs * r.class!.size)} s of wall and ` +
          `${sec(cost.perClassLabCpuMs! * r.class!.size)} CPU-s more with the key encrypted (medians of ${r.class!.encrypted.length} run(s) each, ` +
          `run right after the plain key's), ${sec(cost.perClassLabMs, 3)} s and ${sec(cost.perClassLabCpuMs!, 3)} CPU-s per lab.`
        : '') +
      ' With the key in an ssh-agent (SSH_AUTH_SOCK; the grader offers the agent\'s keys) no run decrypts anything.',
    '',
  ];
}

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

interface Targets {
  rows: string[][];
  misses: string[];
}

// When a needed overhead lies below what starting node and connecting to the VMs cost by themselves.
function floorNote(r: BenchResults, neededMs: number): string {
  const node = startupOf(r, 'node');
  const connect = summarize(r.timeline.map(timelineParts).map((p) => p.connectDiscoverMs)).median;
  if (!node) return '';
  const floor = med(node.wallMs) + connect;
  if (neededMs >= floor) return '';
  return (
    `: below what starting node with nothing loaded (${sec(med(node.wallMs))} s) and connecting to the three VMs and discovering them ` +
    `(${sec(connect)} s) take by themselves here, before any of the grader's code runs`
  );
}

function targets(r: BenchResults): Targets {
  const over = (c: ContenderId) => med(r.single[c].map((x) => x.overheadMs));
  const g = over('grader');
  const rows: string[][] = [];
  const misses: string[] = [];
  const t1 = g <= 300;
  rows.push(['grader overhead ≤ 0.3 s per lab (2-core machine)', `${sec(g)} s`, yes(t1)]);
  if (!t1) misses.push(`grader overhead per lab: ${sec(g)} s against 0.30 s, ${sec(g - 300)} s (${ratio(g, 300)}) over`);
  for (const peer of ['shell', 'testinfra'] as const) {
    const p = over(peer);
    const ok = g * 10 <= p;
    rows.push([`grader overhead ≤ 1/10 of ${peer === 'shell' ? 'the shell script' : 'Testinfra'}'s (one lab, 2 s iperf)`, `${sec(g)} s vs ${sec(p)} s: 1/${(p / g).toFixed(1)}`, yes(ok)]);
    if (!ok) misses.push(`overhead ratio against ${peer}: 1/${(p / g).toFixed(1)} instead of ≤ 1/10 (the grader would need ≤ ${sec(p / 10)} s)${floorNote(r, p / 10)}`);
  }
  if (r.recording) {
    const perLab = med(r.recording.perLabMs);
    const p95 = [...r.recording.perLabMs].sort((a, b) => a - b)[Math.floor(r.recording.perLabMs.length * 0.95)] ?? perLab;
    const ok = p95 <= 10;
    rows.push([
      `recording a grading in the course record ≤ 10 ms per lab (SQLite, ${r.recording.labs} labs, a ${Math.round(r.recording.reportBytes / 1024)} KiB report each)`,
      `median ${perLab.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms; class files drawn from the record in ${sec(r.recording.exportMs)} s`,
      yes(ok),
    ]);
    if (!ok) misses.push(`recording: p95 ${p95.toFixed(1)} ms per lab against 10 ms`);
  }
  const k = r.class;
  if (k) {
    const classWall = med(k.concurrent.map((c) => c.wallMs));
    const graded = (c: ClassRecord) => `${c.labsAsExpected}/${c.labsRun} labs graded as expected`;
    const conc = k.concurrent[0]!;
    const oneLab = med(r.single.grader.map((x) => x.wallMs));
    const t3 = classWall <= 1.5 * oneLab;
    rows.push([
      `a class of ${k.size} labs in little more than one lab's time (read as ≤ 1.5 × one lab's grading wall time)`,
      `${sec(classWall)} s vs ${sec(oneLab)} s for one lab: ${ratio(classWall, oneLab, 2)} (${graded(conc)})`,
      yes(t3 && conc.labsAsExpected === conc.labsRun),
    ]);
    if (!t3) misses.push(`class of ${k.size} at once: ${sec(classWall)} s, ${ratio(classWall, oneLab, 2)} one lab's ${sec(oneLab)} s (target ≤ 1.5×), and ${graded(conc)}`);
    else if (conc.labsAsExpected < conc.labsRun) misses.push(`class of ${k.size} at once: fast enough, but only ${graded(conc)}`);
    for (const [label, peer] of [['the shell script', k.shellSequential], ['Testinfra', k.testinfraSequential]] as const) {
      const speedup = peer.classWallMs / classWall;
      const alt = k.limited[0];
      rows.push([
        `class ≥ 15× faster than ${label} lab after lab`,
        `${sec(peer.classWallMs, 1)} s${peer.extrapolated ? ' (extrapolated)' : ''} vs ${sec(classWall)} s: ${speedup.toFixed(1)}×` +
          (alt ? `; vs ${alt.label} (${sec(alt.wallMs, 1)} s, ${graded(alt)}): ${(peer.classWallMs / alt.wallMs).toFixed(1)}×` : ''),
        yes(speedup >= 15),
      ]);
      if (speedup < 15) misses.push(`class speed-up over ${label}: ${speedup.toFixed(1)}× instead of ≥ 15×`);
    }
    // Conservative: the larger per-lab CPU of the all-at-once and lab-after-lab class runs.
    const cpuPerLab = Math.max(med(k.concurrent.map((c) => c.cpuMs)), k.graderSequential.cpuMs) / k.size;
    const perCoreMinute = 60_000 / cpuPerLab;
    const cpu300 = (300 * cpuPerLab) / r.machine.nproc;
    const ok = cpu300 <= 300_000;
    rows.push([
      `grader CPU per lab small enough for 300 labs on one machine (read as: 300 labs' grading CPU ≤ 5 min on this ${r.machine.nproc}-core machine, i.e. ≤ ${sec((300_000 * r.machine.nproc) / 300)} CPU-s per lab)`,
      `${sec(cpuPerLab)} CPU-s per lab in a class (one process; ${sec(med(r.single.grader.map(cpuOf)))} for a lab graded alone, start-up included) = ` +
        `${perCoreMinute.toFixed(0)} labs/core/minute; 300 labs ≈ ${sec(cpu300, 0)} s of both cores`,
      yes(ok),
    ]);
    if (!ok) misses.push(`CPU per lab ${sec(cpuPerLab)} s: 300 labs need ${sec(cpu300, 0)} s of both cores`);
  }
  keyTargets(r, rows, misses);
  return { rows, misses };
}

interface Component {
  name: string;
  short: string;
  s: Summary;
}

// The grader's overhead on one lab in parts, largest first: the process's own part from the CLI
// runs, the rest from the in-process timelines.
function overheadParts(r: BenchResults): Component[] {
  const cli = r.single.grader.filter((x) => x.phases);
  const parts = r.timeline.map(timelineParts);
  const tl = (pick: (p: TimelineParts) => number) => summarize(parts.map(pick));
  const pingMs = r.config.pingCount * r.config.pingIntervalSeconds * 1000;
  const iperfMs = r.config.iperfSeconds * 1000;
  return [
    {
      name: "process: node start, loading the precompiled CLI and its dependencies, configuration, writing reports, exit (CLI runs: wall − the report's durationMs)",
      short: 'process start and exit',
      s: summarize(cli.map((x) => x.phases!.processMs)),
    },
    {
      name: 'connecting to the three VMs (TCP, key exchange, auth, at once) and discovering each (one command per VM)',
      short: 'connecting and discovery',
      s: tl((p) => p.connectDiscoverMs),
    },
    { name: 'inspections (subnets, virtio ×3, ip-forward, routes ×2), concurrently', short: 'inspections', s: tl((p) => p.inspectMs) },
    {
      name: `ping and traceroute beyond the ping's ${sec(pingMs, 1)} s (one after the other; ping: the router's counters read before and after; traceroute: the router's \`ip route get\` first)`,
      short: `ping and traceroute beyond the ping's ${sec(pingMs, 1)} s`,
      s: tl((p) => p.trafficMs - pingMs),
    },
    {
      name: `iperf beyond its ${sec(iperfMs, 1)} s (one after another: the router's counters, the client (again if the server was not listening yet), the counters again, the server's report, stopping the server)`,
      short: `iperf beyond its ${sec(iperfMs, 1)} s`,
      s: tl((p) => p.measureMs - iperfMs),
    },
    { name: 'closing the connections and scoring', short: 'closing', s: tl((p) => p.closeMs) },
  ].sort((a, b) => b.s.median - a.s.median);
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

// Who spent the CPU of the class graded all at once: the grader, or the namespaces playing the VMs.
function classCpuSplit(r: BenchResults): string[] {
  const conc = r.class?.concurrent;
  if (!conc?.length) return [];
  const grader = med(conc.map((c) => c.cpuMs));
  const lab = med(conc.map((c) => c.lab.cpuMs));
  const others = med(conc.map((c) => c.othersBusyMs));
  return [
    `In the class graded all at once, the grader spent ${sec(grader)} CPU-s, the namespaces playing the VMs ${sec(lab)} CPU-s, ` +
      `and the machine's other users ${sec(others)} CPU-s: see the class section.`,
  ];
}

function topCosts(r: BenchResults): string[] {
  const parts = overheadParts(r);
  const grader = r.channels.find((c) => c.mode === 'grader');
  const raw = r.channels.find((c) => c.mode === 'ssh2-raw');
  const list = [startupOf(r, 'list'), startupOf(r, 'list-tsx')].filter((x) => x !== undefined);
  const items = [
    `Overhead of one lab (median ${sec(med(r.single.grader.map((x) => x.overheadMs)))} s), largest part first: ` +
      parts.map((p) => `${p.short} ${sec(p.s.median)} s`).join('; ') + '.',
    `The grader runs its commands in command sessions (one exec channel per VM running \`sh\`, fed one command line after another) and ` +
      `opened ${med(r.single.grader.map((x) => x.lab.channels))} channels per lab. ` +
      (grader && raw
        ? `Here one command costs ${med(grader.perCommandMs).toFixed(0)} ms of wall in a session against ${med(raw.perCommandMs).toFixed(0)} ms ` +
          `on a new bare ssh2 exec channel, and ${(grader.lab.cpuMs / grader.commands).toFixed(0)} against ${(raw.lab.cpuMs / raw.commands).toFixed(0)} ms ` +
          "of the VM's CPU (connection set-up included)."
        : ''),
    ...(list.length === 2
      ? [
          `Start-up: \`--list\`, which contacts no lab, takes ${sec(med(list[0]!.wallMs))} s and ${sec(med(list[0]!.cpuMs))} CPU-s as shipped ` +
            `(precompiled), ${sec(med(list[1]!.wallMs))} s and ${sec(med(list[1]!.cpuMs))} CPU-s through tsx (the TypeScript transpiled at start).`,
        ]
      : []),
    ...classCpuSplit(r),
  ];
  return ['Top costs, measured (details in the last section):', '', ...items.map((x) => `- ${x}`), ''];
}

function singleLabSection(r: BenchResults): string {
  const rows = SERIES.filter((c) => r.single[c]?.length).map((c) => [
    CONTENDER_LABELS[c],
    secRange(series(r, c, (x) => x.wallMs)),
    secRange(series(r, c, (x) => x.overheadMs)),
    secRange(series(r, c, cpuOf)),
    mib(series(r, c, (x) => x.maxRssKb).median),
    secRange(series(r, c, (x) => x.lab.cpuMs)),
    countRange(series(r, c, (x) => x.lab.connections)),
    countRange(series(r, c, (x) => x.lab.channels)),
  ]);
  const g = (pick: (x: RunRecord) => number) => med(r.single.grader.map(pick));
  const p = (c: ContenderId, pick: (x: RunRecord) => number) => med(r.single[c].map(pick));
  const ratios = [
    ['grader overhead / shell script overhead', `1/${(p('shell', (x) => x.overheadMs) / g((x) => x.overheadMs)).toFixed(1)} (${sec(g((x) => x.overheadMs))} s vs ${sec(p('shell', (x) => x.overheadMs))} s)`],
    ['grader overhead / Testinfra overhead', `1/${(p('testinfra', (x) => x.overheadMs) / g((x) => x.overheadMs)).toFixed(1)} (${sec(g((x) => x.overheadMs))} s vs ${sec(p('testinfra', (x) => x.overheadMs))} s)`],
    ...(['shell', 'testinfra'] as const).map((c) => {
      const fastest = (id: ContenderId) => summarize(r.single[id].map((x) => x.overheadMs)).min;
      return [
        `grader overhead / ${c === 'shell' ? 'shell script' : 'Testinfra'} overhead, fastest run of each (least disturbed by the machine's other users)`,
        `1/${(fastest(c) / fastest('grader')).toFixed(1)} (${sec(fastest('grader'))} s vs ${sec(fastest(c))} s)`,
      ];
    }),
    ['grader CPU / shell script CPU (client side)', ratio(g(cpuOf), p('shell', cpuOf), 2)],
    ['grader CPU / Testinfra CPU (client side)', ratio(g(cpuOf), p('testinfra', cpuOf), 2)],
    ['grader lab-side CPU / shell script lab-side CPU', ratio(g((x) => x.lab.cpuMs), p('shell', (x) => x.lab.cpuMs), 2)],
    ['grader lab-side CPU / Testinfra lab-side CPU', ratio(g((x) => x.lab.cpuMs), p('testinfra', (x) => x.lab.cpuMs), 2)],
  ];
  const ids = Object.keys(r.expected);
  const shown = SERIES.filter((c) => r.single[c]?.length);
  const tally = (c: ContenderId, id: string) => {
    const counts = new Map<string, number>();
    for (const run of r.single[c]) counts.set(run.verdicts[id] ?? 'missing', (counts.get(run.verdicts[id] ?? 'missing') ?? 0) + 1);
    return [...counts].map(([status, n]) => (counts.size === 1 ? status : `${status} ×${n}`)).join(', ');
  };
  const verdictRows = ids.map((id) => [id, ...shown.map((c) => tally(c, id))]);
  const others = shown.flatMap((c) => r.single[c].map((x) => x.othersBusyMs / x.wallMs));
  return [
    `## One lab: \`${r.singleLab}\`, ${r.config.runs} runs each after ${r.config.warmup} warm-up run(s)`,
    '',
    `Median (min–max) over ${r.config.runs} runs, the three contenders interleaved (run *i* starts with a different one), seconds. ` +
      `Unavoidable time: iperf ${r.config.iperfSeconds} s + ping ${r.config.pingCount} × ${r.config.pingIntervalSeconds} s = ${sec(r.config.unavoidableMs, 1)} s; ` +
      'overhead = wall − unavoidable. CPU = user + sys of the process and every child it waited for (`/usr/bin/time`), plus, for ' +
      "Testinfra, the ControlMaster processes it leaves behind (read from `/proc` before they are stopped). Lab-side CPU = what the VMs' " +
      'sshd spent serving the run, commands included (the listeners\' reaped-children times). Connections and channels are counted in ' +
      "the VMs' sshd logs (`Accepted publickey`, `Starting session`). Each namespace VM's root has a home of its own with Debian's default " +
      "dotfiles, as a fresh VM has (reference-lab/sshd.ts): this machine's own root `.bashrc` runs `pyenv init`, which would add about " +
      '0.1 s of the VM\'s CPU to every SSH session of every contender.',
    '',
    table(['contender', 'wall', 'overhead', 'CPU (client)', 'peak RSS', 'lab-side CPU', 'SSH connections', 'exec channels'], rows),
    '',
    table(['ratio', 'value'], ratios),
    '',
    `Verdicts over all runs (\`virtio\` fails by design in a namespace: veth NICs, no VirtIO device). ` +
      (r.deviations.length === 0
        ? 'Every run of every contender gave the same verdicts.'
        : `${r.deviations.length} verdict(s) departed from the majority, listed below the table.`),
    '',
    table(['result', ...shown], verdictRows),
    '',
    ...(r.deviations.length ? [...r.deviations.map((d) => `- ${d}`), ''] : []),
    `While these runs went on, the rest of the machine (other users' processes) kept a median ${med(others).toFixed(2)} of the ${r.machine.nproc} cores busy ` +
      `(min ${summarize(others).min.toFixed(2)}, max ${summarize(others).max.toFixed(2)}; from \`/proc/stat\` minus the run's own CPU).`,
  ].join('\n');
}

function classRow(c: ClassRecord, size: number, unavoidableMs: number, sequential: boolean): Array<string | number> {
  const unavoidable = sequential ? size * unavoidableMs : unavoidableMs;
  return [
    c.label,
    c.how + (c.extrapolated ? `: ${c.labsRun} of ${size} labs run, scaled × ${(size / c.labsRun).toFixed(2)}` : ''),
    `${sec(c.classWallMs, 1)}${c.extrapolated ? ' (est.)' : ''}`,
    sec((c.classWallMs - unavoidable) / size),
    `${sec(c.classCpuMs, 1)}${c.extrapolated ? ' (est.)' : ''}`,
    sec(c.classCpuMs / size),
    `${sec(c.lab.cpuMs, 1)} (${c.labsRun} labs)`,
    `${c.lab.connections} / ${c.lab.channels} (${c.labsRun} labs)`,
    `${c.labsAsExpected}/${c.labsRun}`,
  ];
}

function classSection(r: BenchResults): string {
  const k = r.class!;
  const u = r.config.unavoidableMs;
  const conc = k.concurrent;
  const iperf = summarize(conc.flatMap((c) => c.iperfMbps ?? []));
  const labDur = summarize(conc.flatMap((c) => c.labDurationsMs ?? []));
  const concWall = summarize(conc.map((c) => c.wallMs));
  const concCpu = summarize(conc.map((c) => c.cpuMs));
  const concLab = med(conc.map((c) => c.lab.cpuMs));
  const concOthers = med(conc.map((c) => c.othersBusyMs / c.wallMs));
  const cores = r.machine.nproc;
  const fixedLab = med(r.labSplit.withoutIperf.map((x) => x.cpuMs));
  const floor = (concCpu.median + k.size * fixedLab) / cores + r.config.iperfSeconds * 1000;
  const graderOnlyFloor = concCpu.median / cores;
  const rows = [
    ...conc.map((c, i) => classRow({ ...c, label: conc.length > 1 ? `${c.label} (run ${i + 1})` : c.label }, k.size, u, false)),
    ...k.encrypted.map((c, i) => classRow({ ...c, label: k.encrypted.length > 1 ? `${c.label} (run ${i + 1})` : c.label }, k.size, u, false)),
    ...k.limited.map((c) => classRow(c, k.size, u, false)),
    classRow(k.graderSequential, k.size, u, true),
    classRow(k.shellSequential, k.size, u, true),
    classRow(k.testinfraSequential, k.size, u, true),
  ];
  const unexpected = [...conc, ...k.encrypted, ...k.limited, k.graderSequential, k.shellSequential, k.testinfraSequential].flatMap((c) => c.unexpected.map((x) => `${c.label}: ${x}`));
  const errored = conc.reduce((n, c) => n + (c.labsRun - c.labsAsExpected), 0);
  return [
    `## A class: ${k.size} labs`,
    '',
    `${k.size} good reference labs brought up concurrently with \`labUp\` (${sec(k.upMs, 1)} s), one inventory listing them all, one key ` +
      "added to every lab (as an instructor's `labs.yaml` and `.env` would be), torn down together at the end (also on failure). " +
      `Overhead per lab = (wall − unavoidable) / ${k.size}, where the unavoidable time is ${sec(u, 1)} s for labs graded at once and ` +
      `${k.size} × ${sec(u, 1)} s lab after lab. "As expected" = the lab got the majority verdicts of the single-lab runs.`,
    '',
    table(['what', 'how', 'wall (s)', 'overhead per lab (s)', 'CPU (s)', 'CPU per lab (s)', 'lab-side CPU (s)', 'connections / channels', 'as expected'], rows),
    '',
    `Grader, all ${k.size} at once: wall ${secRange(concWall)} s, CPU ${secRange(concCpu)} s over ${conc.length} run(s); each lab's own grading ` +
      `time inside it (the report's durationMs) ${labDur.n ? `${secRange(labDur)} s` : 'n/a'}; iperf throughput per lab ` +
      `${iperf.n ? `${iperf.median.toFixed(0)} Mbit/s median (${iperf.min.toFixed(0)}–${iperf.max.toFixed(0)})` : 'n/a'}.`,
    '',
    table(
      ['speed-up over', `grader, ${k.size} at once: wall`, `grader, ${k.size} at once: CPU`, ...k.limited.map((c) => `${c.label}: wall`)],
      [k.graderSequential, k.shellSequential, k.testinfraSequential].map((peer) => [
        peer.label,
        ratio(peer.classWallMs, concWall.median),
        ratio(peer.classCpuMs, concCpu.median, 2),
        ...k.limited.map((c) => ratio(peer.classWallMs, c.wallMs)),
      ]),
    ),
    k.shellSequential.extrapolated || k.testinfraSequential.extrapolated
      ? `\nThe peers' class figures are **estimates**: each graded ${r.config.classPeerLabs} of the ${k.size} labs one after another (measured) and the sums were scaled to ${k.size}. The grader's are measured on all ${k.size}.`
      : `\nThe peers graded all ${k.size} labs one after another (measured, not estimated).`,
    '',
    `**Why ${k.size} labs at once take this long here.** In this benchmark the students' VMs are namespaces on the same ${cores} cores ` +
      `as the grader. During the all-at-once run their sshd and commands burnt ${sec(concLab, 1)} CPU-s, the grader ${sec(concCpu.median, 1)} CPU-s, ` +
      `and other users' processes kept ${concOthers.toFixed(2)} of the ${cores} cores busy. Measured on one lab (below), every check but iperf costs ` +
      `the VMs ${sec(fixedLab, 2)} CPU-s; iperf's transfer takes whatever CPU is free for its ${r.config.iperfSeconds} s (time-bound, not a fixed ` +
      `amount of work), so ${k.size} iperfs at once share the cores rather than add up. On an idle machine that puts a floor of about ` +
      `(${sec(concCpu.median, 1)} + ${k.size} × ${sec(fixedLab, 2)}) / ${cores} + ${r.config.iperfSeconds} = ${sec(floor, 1)} s under the class. With real VMs each ` +
      `lab's side runs on its own CPUs, and what is left on the grading machine is the grader's ${sec(concCpu.median, 1)} CPU-s ` +
      `(${sec(graderOnlyFloor, 1)} s of ${cores} cores): not measurable here, but that is the floor a real class of ${k.size} would see, beside ` +
      "the one lab's own time." +
      (errored > 0
        ? ` Starved of CPU, ${errored} lab(s) of the all-at-once run hit the grader's command deadlines (discovery or a check did not finish in ` +
          'time) and got errors, "could not be graded", never a wrong pass or fail: listed below. So that run measures the grader\'s ' +
          'behaviour under overload, not a class graded in full' +
          (k.limited.length ? `; the ${k.limited[0]!.label} run is the fastest full grading of the class this machine gave.` : '.')
        : ''),
    ...(unexpected.length
      ? ['', `Verdicts that differed from the single-lab majority in the class runs (${unexpected.length}):`, '', ...unexpected.slice(0, 30).map((x) => `- ${x}`), ...(unexpected.length > 30 ? [`- … and ${unexpected.length - 30} more`] : [])]
      : ['', 'Every lab of every class run got the single-lab verdicts.']),
  ].join('\n');
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

function whereTimeGoes(r: BenchResults): string {
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
      ` The grader opened a median ${grChannels} channels per lab (one-lab table): one session per VM, and another only when a command ` +
      'waited 0.1 s for a busy one (the iperf3 server holds its VM\'s session while it waits for the client).',
    '',
    ...labSplitParts(r),
    ...profParts,
  ].join('\n');
}

export function renderBenchmarks(r: BenchResults): string {
  const m = r.machine;
  const t = targets(r);
  return [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts): edit the generator, not this file. -->',
    '',
    'GitHub issue 7: how long grading takes beyond what the checks themselves must take, how much CPU it needs, and how it compares ' +
      'with the two ways an instructor would otherwise do it: a hand-written shell script (one `ssh` per check) and a Testinfra suite. ' +
      'Everything below was measured in one run of the command below, on the namespace reference lab (good variant), with the same ' +
      `checks for all three (\`${r.config.checkFile}\`). \`bench/peers/\` holds the script and the suite: they check the facts of the README's ` +
      'check table (addresses and subnets, the driver link of every NIC, `ip_forward`, `ip route get` both ways, ping without loss, the two ' +
      'traceroute hops, iperf3 above the floor) and reach the same verdicts. The grader does more per lab: `ethtool -i` beside the driver ' +
      "link, and second witnesses on another machine (the router's counters around ping and iperf, the router's own route for " +
      "traceroute, the iperf3 server's report), which cost it channels and steps the peers do not pay.",
    '',
    '```sh',
    r.command,
    '```',
    '',
    `Run on ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${sec(r.totalMs, 0)} s in all. It needs root, the packages of ` +
      '`scripts/install-system-packages.sh` (python3-testinfra among them) and `npm ci`. `--runs`, `--labs` and `--class-peers` shorten it; ' +
      '`--json FILE` saves the raw results and `--from-json FILE` rewrites this page from them without measuring.',
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['cores (nproc)', m.nproc],
        ['CPU', m.cpuModel],
        ['memory', `${m.memoryGiB} GiB`],
        ['kernel', m.kernel],
        ['Node.js', m.node],
        ['OpenSSH', m.openssh],
        ['Python / pytest / Testinfra', `${m.python} / ${m.pytest} / ${m.testinfra}`],
        ['iperf3', m.iperf3],
        ['load average (1, 5, 15 min) at start / end', `${m.loadavg.join(', ')} / ${r.loadavgEnd.join(', ')}`],
      ],
      ['---', '---'],
    ),
    '',
    'The machine is shared: other people\'s builds and tests ran during the benchmark (the load average above, and the cores they kept busy ' +
      'during each run, reported below). Every figure is therefore an upper bound of what a quiet machine gives; the contenders were interleaved ' +
      'so that each suffered the same noise.',
    '',
    '## Targets of the issue',
    '',
    table(['target', 'measured', ''], t.rows),
    '',
    ...(t.misses.length ? ['Missed, and by how much:', '', ...t.misses.map((x) => `- ${x}`), ''] : []),
    ...topCosts(r),
    singleLabSection(r),
    '',
    ...(r.class ? [classSection(r), ''] : []),
    whereTimeGoes(r),
    '',
  ].join('\n');
}
