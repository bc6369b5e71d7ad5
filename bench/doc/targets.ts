// docs/BENCHMARKS.md: the targets, each met or missed, and by how much.
import type { ContenderId } from '../contenders.ts';
import { timelineParts } from '../profile.ts';
import type { BenchResults, ClassRecord } from '../results.ts';
import { ratio, sec, summarize } from '../stats.ts';
import { keyTargets } from './encrypted-key.ts';
import { cpuOf, med, startupOf, yes } from './format.ts';

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

export function targets(r: BenchResults): Targets {
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
