// docs/BENCHMARKS.md: a class graded at once, lab after lab, and by the peers.
import type { BenchResults, ClassRecord } from '../results.ts';
import { ratio, sec, secRange, summarize } from '../stats.ts';
import { med, table } from './format.ts';

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

export function classSection(r: BenchResults): string {
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
