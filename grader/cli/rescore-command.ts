import { output } from './output.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { collectReports } from '../class-report/collect-reports.ts';
import { loadCheckFile } from '../config/check-file.ts';
import { ConfigError } from '../config/config-error.ts';
import { checksDigestOf, GRADER_VERSION } from '../config/grading-provenance.ts';
import type { GradingProvenance, LabReport } from '../core/lab-report.ts';
import type { JunitFlavor } from '../report/junit.ts';
import { writeReports } from '../report/write-reports.ts';
import { rescoreReport } from '../run/rescore-report.ts';
import { classSummary, spanOf, writeClassFiles } from './class-files.ts';
import { junitFlavorOf, parseSubcommandArgs, printedHelp } from './subcommand-args.ts';
import { EXIT_NOT_ALL_PASSED, EXIT_NOTHING_GRADED, EXIT_PASSED } from './exit-codes.ts';

export const RESCORE_USAGE = `Usage: npm run grade -- rescore DIR --checks NEW.yaml [--out DIR] [--roster FILE] [--gradescope]
                              [--junit-flavor FLAVOR]
Re-scores the lab reports (NAME.json) in DIR under another check file without contacting any VM:
points, titles and hints apply; changed thresholds (floorMbps, maxLossPercent) are judged again
from the stored measurements; removed checks are dropped. What the stored measurements cannot
decide (a new check or kind, a longer iperf, another ping count) is listed per lab as needing a
live run, and is an error in the new report. Prints per lab the old and new score and the results
that flipped; writes the new reports and class files into --out (default DIR/rescored-<digest>),
never over the old ones. Exit 0 when everything was decided, 1 when a lab needs a live run.`;

interface RescoreArgs {
  dir: string;
  checks: string;
  out?: string;
  roster?: string;
  gradescope: boolean;
  junitFlavor: JunitFlavor;
}

function parseRescoreArgs(argv: string[]): RescoreArgs {
  const parsed = parseSubcommandArgs('rescore', argv, {
    checks: { type: 'string' },
    out: { type: 'string' },
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
  return { dir: positionals[0]!, checks: values.checks!, out: values.out, roster: values.roster, gradescope: values.gradescope ?? false, junitFlavor };
}

// `rescore`: the stored reports of a class under another check file, written beside the old ones.
export async function rescoreCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, RESCORE_USAGE)) return EXIT_NOTHING_GRADED;
  const args = parseRescoreArgs(argv);
  const specs = await loadCheckFile(args.checks);
  const digest = checksDigestOf(await readFile(args.checks));
  const stored = await collectReports(args.dir);
  if (stored.length === 0) throw new ConfigError([`rescore: no lab report (NAME.json) in ${args.dir}`]);
  const out = args.out ?? path.join(args.dir, `rescored-${digest.slice('sha256:'.length, 'sha256:'.length + 8)}`);
  if (path.resolve(out) === path.resolve(args.dir)) throw new ConfigError(['rescore: --out must not be the directory of the old reports (they are never overwritten)']);
  const reports: LabReport[] = [];
  let undecided = 0;
  const width = Math.min(24, Math.max(3, ...stored.map((s) => s.report.lab.length)));
  for (const { report } of stored) {
    // A report of an --only run is re-scored on those checks only.
    const only = report.provenance?.only?.filter((id) => specs.some((s) => s.id === id));
    const provenance: GradingProvenance = { checksDigest: digest, graderVersion: GRADER_VERSION, ...(only ? { only } : {}) };
    const rescored = rescoreReport(report, only ? specs.filter((s) => only.includes(s.id)) : specs, provenance);
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
  const paths = await writeClassFiles(reports, spanOf(reports), {
    out,
    roster: args.roster,
    junitFlavor: args.junitFlavor,
    gradescope: args.gradescope,
    checkIds: [...new Set(specs.map((s) => s.id))],
  });
  output.stdout.text(classSummary(reports, paths, `${reports.length} labs re-scored into ${out}${undecided > 0 ? `, ${undecided} need a live run` : ''}`));
  // A result that needs a live run could not be graded from the evidence.
  return undecided > 0 ? EXIT_NOT_ALL_PASSED : EXIT_PASSED;
}
