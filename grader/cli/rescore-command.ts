import { output } from './output.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCheckFile } from '../config/check-file.ts';
import { ConfigError } from '../config/config-error.ts';
import { checksDigestOf, GRADER_VERSION } from '../config/grading-provenance.ts';
import type { GradingProvenance, LabReport } from '../core/lab-report.ts';
import type { JunitFlavor } from '../report/junit.ts';
import { writeReports } from '../report/write-reports.ts';
import { rescoreReport } from '../run/rescore-report.ts';
import { probeOutDir } from '../report/out-dir.ts';
import { exportClassFiles } from '../store/class-exports.ts';
import { isPostgresUrl } from '../store/open-store.ts';
import { classSummary } from './class-files.ts';
import { applyCourseSettings, openCourseRecord, recordReport, warnRosterProblems } from './course-record.ts';
import { EXIT_REPORTS_NOT_WRITTEN } from './exit-codes.ts';
import { readSource } from './record-sources.ts';
import { junitFlavorOf, parseSubcommandArgs, printedHelp } from './subcommand-args.ts';

export const RESCORE_USAGE = `Usage: npm run grade -- rescore SOURCE --checks NEW.yaml [--out DIR] [--store URL] [--roster FILE]
                              [--gradescope] [--junit-flavor FLAVOR]
Re-scores each lab's current grading in SOURCE (a folder with a course record, a PostgreSQL URL, or
a folder of reports NAME.json) under another check file without contacting any VM:
points, titles and hints apply; changed thresholds (floorMbps, maxLossPercent) are judged again
from the stored measurements; removed checks are dropped. What the stored measurements cannot
decide (a new check or kind, a longer iperf, another ping count) is listed per lab as needing a
live run, and is an error in the new report. Prints per lab the old and new score and the results
that flipped; records the new gradings (command rescore) in the course record of --out (default
DIR/rescored-<digest>, never over the old ones; or --store) and writes their reports and the class
files there. The roster kept with SOURCE names the students unless --roster is given. Exit 0 when
everything was decided, 1 when a lab needs a live run.`;

interface RescoreArgs {
  dir: string;
  checks: string;
  out?: string;
  store?: string;
  roster?: string;
  gradescope: boolean;
  junitFlavor: JunitFlavor;
}

function parseRescoreArgs(argv: string[]): RescoreArgs {
  const parsed = parseSubcommandArgs('rescore', argv, {
    checks: { type: 'string' },
    out: { type: 'string' },
    store: { type: 'string' },
    roster: { type: 'string' },
    gradescope: { type: 'boolean' },
    'junit-flavor': { type: 'string' },
  });
  const { values, positionals } = parsed;
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push('rescore: give one directory of reports (rescore DIR --checks NEW.yaml)');
  if (!values.checks) problems.push('rescore: --checks NEW.yaml is required (the check file to score with)');
  const junitFlavor = junitFlavorOf(values['junit-flavor'], problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { dir: positionals[0]!, checks: values.checks!, out: values.out, ...(values.store !== undefined ? { store: values.store } : {}), roster: values.roster, gradescope: values.gradescope ?? false, junitFlavor };
}

// `rescore`: each lab's current grading under another check file, recorded beside the old ones.
export async function rescoreCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, RESCORE_USAGE)) return 0;
  const args = parseRescoreArgs(argv);
  const specs = await loadCheckFile(args.checks);
  const digest = checksDigestOf(await readFile(args.checks));
  const source = await readSource(args.dir);
  const stored = source.current;
  if (stored.length === 0) throw new ConfigError([`rescore: no lab report (NAME.json) or recorded grading in ${args.dir}`]);
  const out = args.out ?? (isPostgresUrl(args.dir) ? undefined : path.join(args.dir, `rescored-${digest.slice('sha256:'.length, 'sha256:'.length + 8)}`));
  if (out === undefined) throw new ConfigError(['rescore: --out DIR is required when the source is a PostgreSQL record (where the new reports and class files go)']);
  if (path.resolve(out) === path.resolve(args.dir)) throw new ConfigError(['rescore: --out must not be the directory of the old reports (they are never overwritten)']);
  await probeOutDir(out);
  const store = await openCourseRecord({ out, ...(args.store ? { store: args.store } : {}) });
  try {
    const kept = source.rosters.at(-1);
    if (!args.roster && !(await store.roster()) && kept) await store.putRoster(kept.entries, `${kept.source} (from ${source.where})`);
    const roster = await applyCourseSettings(store, { ...(args.roster ? { roster: args.roster } : {}) });
    const labs = stored.map((s) => s.report.lab);
    warnRosterProblems(roster, labs, labs);
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
      classLabs: labs,
      provenance: reports[0]!.provenance!,
      junitFlavor: args.junitFlavor,
      gradescope: args.gradescope,
      checkIds: [...new Set(specs.map((s) => s.id))],
    });
    output.stdout.text(classSummary(reports, paths, `${reports.length} labs re-scored into ${out}${undecided > 0 ? `, ${undecided} need a live run` : ''}`));
    return undecided > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
