// docs/BENCHMARKS.md: one lab, the contenders side by side, and the top costs of the grader's overhead.
import { CONTENDER_LABELS, SERIES, type ContenderId } from '../contenders.ts';
import { timelineParts, type TimelineParts } from '../profile.ts';
import type { BenchResults, RunRecord } from '../results.ts';
import { ratio, sec, secRange, summarize, type Summary } from '../stats.ts';
import { countRange, cpuOf, med, mib, series, startupOf, table } from './format.ts';

interface Component {
  name: string;
  short: string;
  s: Summary;
}

// The grader's overhead on one lab in parts, largest first: the process's own part from the CLI
// runs, the rest from the in-process timelines.
export function overheadParts(r: BenchResults): Component[] {
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

export function topCosts(r: BenchResults): string[] {
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

export function singleLabSection(r: BenchResults): string {
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
      "dotfiles, as a fresh VM has (labs/netns/sshd.ts): this machine's own root `.bashrc` runs `pyenv init`, which would add about " +
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
