import { output } from './output.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCheckFile } from '../config/check-file.ts';
import { ConfigError } from '../config/config-error.ts';
import { checksDigestOf, GRADER_VERSION } from '../config/grading-provenance.ts';
import type { GradingProvenance, LabReport } from '../core/lab-report.ts';
import { writeReports } from '../report/write-reports.ts';
import { rescoreReport } from '../run/rescore-report.ts';
import { probeOutDir } from '../report/out-dir.ts';
import { exportClassFiles } from '../store/class-exports.ts';
import { isPostgresUrl } from '../store/open-store.ts';
import { allPassed, classSummary } from './class-files.ts';
import { applyCourseSettings, openCourseRecord, recordReport, warnRosterProblems } from './course-record.ts';
import { readSource } from './record-sources.ts';
import { parseSubcommandArgs, printedHelp } from './subcommand-args.ts';
import { CLASS_FILE_OPTIONS, classFileSettings, optionsOf, type ClassFileSettings } from './option-table.ts';
import { selectLabs } from '../class/select-labs.ts';
import { loadInventory } from '../config/inventory.ts';
import { EXIT_NOTHING_GRADED, EXIT_REPORTS_NOT_WRITTEN, gradedExit } from './exit-codes.ts';

export const RESCORE_USAGE = `Usage: npm run grade -- rescore SOURCE --checks NEW.yaml [--out DIR] [--store URL] [--roster FILE]
                              [--inventory FILE] [--host 'lab*,...'] [--deadline TIME] [--late POLICY]
                              [--gradescope] [--junit-flavor FLAVOR] [--excel]
Re-scores each lab's current grading in SOURCE (a folder with a course record, a PostgreSQL URL, or
a folder of reports NAME.json) under another check file without contacting any VM:
points, titles and hints apply; changed thresholds (floorMbps, maxLossPercent) are judged again
from the stored measurements; removed checks are dropped. What the stored measurements cannot
decide (a new check or kind, a longer iperf, another ping count) is listed per lab as needing a
live run, and is an error in the new report. Prints per lab the old and new score and the results
that flipped; records the new gradings (command rescore) in the course record of --out (default
DIR/rescored-<digest>, never over the old ones; or --store) and writes their reports and the class
files there. The roster kept with SOURCE names the students unless --roster is given. With
--inventory, the class files cover its labs (those of --host), naming those with no grading; --host
alone re-scores only those labs. The options of the class files (--roster, --deadline, --late,
--gradescope, --junit-flavor, --excel) mean what they mean to grade. Exits as grade does: 0 when
every check of every lab passed, 1 otherwise (a check failed, or needs a live run).`;

type RescoreArgs = ClassFileSettings & { dir: string; checks: string };

export function parseRescoreArgs(argv: string[]): RescoreArgs {
  const { values, positionals } = parseSubcommandArgs('rescore', argv, optionsOf([...CLASS_FILE_OPTIONS, 'checks']));
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push('rescore: give one directory of reports (rescore DIR --checks NEW.yaml)');
  if (!values.checks) problems.push('rescore: --checks NEW.yaml is required (the check file to score with)');
  const settings = classFileSettings(values, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...settings, dir: positionals[0]!, checks: values.checks! };
}

// The labs of the class files: the inventory's (or those of --host in it), else the source's (or
// those of --host among them).
async function classLabsOf(args: RescoreArgs, sourceLabs: string[]): Promise<{ classLabs: string[]; inventoryLabs?: string[] }> {
  if (args.inventory === undefined) return { classLabs: selectLabs(sourceLabs, { ...(args.hosts ? { hosts: args.hosts } : {}), all: !args.hosts }) };
  const inventoryLabs = [...(await loadInventory(args.inventory)).labs.keys()];
  return { classLabs: selectLabs(inventoryLabs, { ...(args.hosts ? { hosts: args.hosts } : {}), all: !args.hosts }), inventoryLabs };
}

// `rescore`: each lab's current grading under another check file, recorded beside the old ones.
export async function rescoreCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, RESCORE_USAGE)) return EXIT_NOTHING_GRADED;
  const args = parseRescoreArgs(argv);
  const specs = await loadCheckFile(args.checks);
  const digest = checksDigestOf(await readFile(args.checks));
  const source = await readSource(args.dir);
  if (source.current.length === 0) throw new ConfigError([`rescore: no lab report (NAME.json) or recorded grading in ${args.dir}`]);
  const { classLabs, inventoryLabs } = await classLabsOf(args, source.current.map((s) => s.report.lab));
  const stored = source.current.filter((s) => classLabs.includes(s.report.lab));
  if (stored.length === 0) throw new ConfigError([`rescore: no lab of ${args.inventory ?? '--host'} has a report or recorded grading in ${args.dir}`]);
  const out = args.out ?? (isPostgresUrl(args.dir) ? undefined : path.join(args.dir, `rescored-${digest.slice('sha256:'.length, 'sha256:'.length + 8)}`));
  if (out === undefined) throw new ConfigError(['rescore: --out DIR is required when the source is a PostgreSQL record (where the new reports and class files go)']);
  if (path.resolve(out) === path.resolve(args.dir)) throw new ConfigError(['rescore: --out must not be the directory of the old reports (they are never overwritten)']);
  await probeOutDir(out);
  const store = await openCourseRecord({ out, ...(args.store ? { store: args.store } : {}) });
  try {
    const kept = source.rosters.at(-1);
    if (!args.roster && !(await store.roster()) && kept) await store.putRoster(kept.entries, `${kept.source} (from ${source.where})`);
    const roster = await applyCourseSettings(store, args);
    warnRosterProblems(roster, inventoryLabs ?? classLabs, classLabs);
    const reports: LabReport[] = [];
    let undecided = 0;
    let unrecorded = 0;
    const width = Math.min(24, Math.max(3, ...stored.map((s) => s.report.lab.length)));
    for (const { report } of stored) {
      // A report of an --only run is re-scored on those checks only.
      const only = report.provenance?.only?.filter((id) => specs.some((s) => s.id === id));
      const provenance: GradingProvenance = { checksDigest: digest, graderVersion: GRADER_VERSION, ...(only ? { only } : {}) };
      const rescored = rescoreReport(report, only ? specs.filter((s) => only.includes(s.id)) : specs, provenance);
      const notRecorded = await recordReport(store, rescored.report, { command: 'rescore', ...(roster ? { roster } : {}) });
      if (notRecorded) {
        unrecorded += 1;
        output.stderr.line(`router-lab-grader: ${report.lab}: ${notRecorded}`);
      }
      await writeReports(rescored.report, out, { junitFlavor: args.junitFlavor });
      reports.push(rescored.report);
      const lines = [
        ...rescored.flipped.map((f) => `    ${f}`),
        ...rescored.removed.map((r) => `    ${r}: removed from the check file`),
        ...rescored.needsLiveRun.map((n) => `    needs a live run: ${n}`),
      ];
      if (rescored.needsLiveRun.length > 0) undecided += 1;
      output.stdout.text(`${report.lab.padEnd(width)}  ${report.score}/${report.maxScore} -> ${rescored.report.score}/${rescored.report.maxScore}${lines.length === 0 ? '  (unchanged)' : ''}\n${lines.map((l) => `${l}\n`).join('')}`);
    }
    if (unrecorded > 0) return EXIT_REPORTS_NOT_WRITTEN;
    const { paths } = await exportClassFiles(store, out, {
      classLabs,
      provenance: reports[0]!.provenance!,
      junitFlavor: args.junitFlavor,
      gradescope: args.gradescope,
      excel: args.excel,
      checkIds: [...new Set(specs.map((s) => s.id))],
    });
    output.stdout.text(classSummary(reports, paths, `${reports.length} labs re-scored into ${out}${undecided > 0 ? `, ${undecided} need a live run` : ''}`));
    // As grade and merge: a result that needs a live run could not be graded from the evidence.
    return gradedExit(allPassed(reports));
  } finally {
    await store.close();
  }
}
