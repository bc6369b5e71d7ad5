import { output } from './output.ts';
import { checkIdsOf, planMerge } from '../class-report/merge-shards.ts';
import { selectLabs } from '../class/select-labs.ts';
import { ConfigError } from '../config/config-error.ts';
import { loadInventory } from '../config/inventory.ts';
import { probeOutDir } from '../report/out-dir.ts';
import { exportClassFiles } from '../store/class-exports.ts';
import { isPostgresUrl } from '../store/open-store.ts';
import { attemptOf } from '../store/record-attempt.ts';
import { allPassed, classSummary } from './class-files.ts';
import { applyCourseSettings, asConfigError, openCourseRecord, warnRosterProblems } from './course-record.ts';
import { readSource } from './record-sources.ts';
import { parseSubcommandArgs, printedHelp } from './subcommand-args.ts';
import { CLASS_FILE_OPTIONS, classFileSettings, optionsOf, type ClassFileSettings } from './option-table.ts';
import { EXIT_NOTHING_GRADED, gradedExit } from './exit-codes.ts';

export const MERGE_USAGE = `Usage: npm run grade -- merge SOURCE... --out DIR [--store URL] [--inventory FILE] [--host 'lab*,...']
                              [--allow-missing] [--roster FILE] [--deadline TIME] [--late POLICY]
                              [--gradescope] [--junit-flavor FLAVOR] [--excel]
Records into the course record of --out (or --store) what shards graded: each SOURCE is a folder
with a course record (grades.sqlite), a PostgreSQL URL, or a folder of per-lab reports (NAME.json);
then builds class.xml, gradebook.csv, class.html (and with --gradescope the Gradescope files) in
--out from the record. Refuses (exit 2), recording nothing, when a lab of the inventory (or of
--host) has no grading, a lab's current gradings differ, or they were graded with different check
files or --only selections. Shards that shared one PostgreSQL record need no merge. The options of
the class files (--roster, --deadline, --late, --gradescope, --junit-flavor, --excel) mean what they
mean to grade. Exits as grade does: 0 when every check of every lab passed, 1 otherwise.`;

type MergeArgs = Omit<ClassFileSettings, 'out' | 'inventory'> & { dirs: string[]; out: string; inventory: string; allowMissing: boolean };

export function parseMergeArgs(argv: string[]): MergeArgs {
  const { values, positionals } = parseSubcommandArgs('merge', argv, optionsOf([...CLASS_FILE_OPTIONS, 'allow-missing']));
  const problems: string[] = [];
  if (positionals.length === 0) problems.push('merge: give the report directories of the shards (merge DIR... --out DIR)');
  if (!values.out) problems.push('merge: --out DIR is required (where the class files go)');
  const settings = classFileSettings(values, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...settings, dirs: positionals, out: values.out!, inventory: settings.inventory ?? 'labs.yaml', allowMissing: values['allow-missing'] ?? false };
}

// `merge`: the gradings of every shard recorded into one course record, once they agree, and the
// class files drawn from it.
export async function mergeCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, MERGE_USAGE)) return EXIT_NOTHING_GRADED;
  const args = parseMergeArgs(argv);
  const inventory = await loadInventory(args.inventory);
  const expected = selectLabs([...inventory.labs.keys()], { hosts: args.hosts, all: !args.hosts });
  const sources = [];
  for (const dir of args.dirs) sources.push(await readSource(dir));
  const plan = planMerge(expected, sources.flatMap((s) => s.current));
  const problems = [...plan.problems];
  if (plan.missing.length > 0 && !args.allowMissing) {
    problems.push(...plan.missing.map((lab) => `lab '${lab}' of the inventory has no report in ${args.dirs.join(', ')} (a shard missing? --allow-missing merges without it)`));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (plan.missing.length > 0) output.stderr.text(`router-lab-grader: merging without ${plan.missing.length} labs that have no report: ${plan.missing.join(', ')}\n`);
  await probeOutDir(args.out);
  const store = await openCourseRecord(args);
  try {
    // No roster given and none kept: the shards' own (the latest one among them).
    const shardRoster = sources.flatMap((s) => s.rosters).sort((a, b) => a.givenAt.localeCompare(b.givenAt)).at(-1);
    if (!args.roster && !(await store.roster()) && shardRoster) await store.putRoster(shardRoster.entries, `${shardRoster.source} (from a shard's record)`);
    const roster = await applyCourseSettings(store, args);
    warnRosterProblems(roster, expected, expected);
    const fromJson = sources.flatMap((s) => (s.attempts.length > 0 ? [] : s.current.map(({ report }) => attemptOf(report, { command: 'merge', ...(roster ? { roster } : {}) }))));
    const recorded = await store.recordAll([...sources.flatMap((s) => s.attempts), ...fromJson]).catch((error: unknown) => {
      throw asConfigError(error);
    });
    const { paths } = await exportClassFiles(store, args.out, {
      classLabs: expected,
      ...(plan.reports[0]?.provenance ? { provenance: plan.reports[0].provenance } : {}),
      junitFlavor: args.junitFlavor,
      gradescope: args.gradescope,
      excel: args.excel,
      checkIds: checkIdsOf(plan.reports),
    });
    const fresh = recorded.filter((r) => r.fresh).length;
    const kind = args.dirs.every((d) => !isPostgresUrl(d)) ? 'directories' : 'sources';
    output.stdout.text(classSummary(plan.reports, paths, `${plan.reports.length} labs merged from ${args.dirs.length} ${kind}`));
    output.stdout.text(`${fresh} new attempts recorded in ${store.location}\n`);
    return gradedExit(allPassed(plan.reports));
  } finally {
    await store.close();
  }
}
