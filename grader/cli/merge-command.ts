import { output } from './output.ts';
import { collectReports } from '../class-report/collect-reports.ts';
import { checkIdsOf, planMerge } from '../class-report/merge-shards.ts';
import { selectLabs } from '../class/select-labs.ts';
import { ConfigError } from '../config/config-error.ts';
import { loadInventory } from '../config/inventory.ts';
import type { JunitFlavor } from '../report/junit.ts';
import { allPassed, classSummary, spanOf, writeClassFiles } from './class-files.ts';
import { junitFlavorOf, parseSubcommandArgs, printedHelp } from './subcommand-args.ts';
import { EXIT_NOTHING_GRADED, gradedExit } from './exit-codes.ts';

export const MERGE_USAGE = `Usage: npm run grade -- merge DIR... --out DIR [--inventory FILE] [--host 'lab*,...'] [--allow-missing]
                              [--roster FILE] [--gradescope] [--junit-flavor FLAVOR]
Builds class.xml, gradebook.csv, class.html (and with --gradescope the Gradescope files) in --out
from the per-lab reports (NAME.json) that shards wrote into the DIRs. Refuses (exit 2) when a lab
of the inventory (or of --host) has no report, a lab has two reports with different results, or
the reports were graded with different check files, grader versions or --only selections.`;

interface MergeArgs {
  dirs: string[];
  out: string;
  inventory: string;
  hosts?: string[];
  allowMissing: boolean;
  roster?: string;
  gradescope: boolean;
  junitFlavor: JunitFlavor;
}

export function parseMergeArgs(argv: string[]): MergeArgs {
  const parsed = parseSubcommandArgs('merge', argv, {
    out: { type: 'string' },
    inventory: { type: 'string' },
    host: { type: 'string' },
    'allow-missing': { type: 'boolean' },
    roster: { type: 'string' },
    gradescope: { type: 'boolean' },
    'junit-flavor': { type: 'string' },
  });
  const { values, positionals } = parsed;
  const problems: string[] = [];
  if (positionals.length === 0) problems.push('merge: give the report directories of the shards (merge DIR... --out DIR)');
  if (!values.out) problems.push('merge: --out DIR is required (where the class files go)');
  const junitFlavor = junitFlavorOf(values['junit-flavor'], problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dirs: positionals,
    out: values.out!,
    inventory: values.inventory ?? 'labs.yaml',
    hosts: values.host?.split(',').map((s) => s.trim()).filter(Boolean),
    allowMissing: values['allow-missing'] ?? false,
    roster: values.roster,
    gradescope: values.gradescope ?? false,
    junitFlavor,
  };
}

// `merge`: the class files of a class graded in shards, once every shard's reports agree.
export async function mergeCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, MERGE_USAGE)) return EXIT_NOTHING_GRADED;
  const args = parseMergeArgs(argv);
  const inventory = await loadInventory(args.inventory);
  const expected = selectLabs([...inventory.labs.keys()], { hosts: args.hosts, all: !args.hosts });
  const found = (await Promise.all(args.dirs.map(collectReports))).flat();
  const plan = planMerge(expected, found);
  const problems = [...plan.problems];
  if (plan.missing.length > 0 && !args.allowMissing) {
    problems.push(...plan.missing.map((lab) => `lab '${lab}' of the inventory has no report in ${args.dirs.join(', ')} (a shard missing? --allow-missing merges without it)`));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (plan.missing.length > 0) output.stderr.text(`router-lab-grader: merging without ${plan.missing.length} labs that have no report: ${plan.missing.join(', ')}\n`);
  const paths = await writeClassFiles(plan.reports, spanOf(plan.reports), {
    out: args.out,
    roster: args.roster,
    junitFlavor: args.junitFlavor,
    gradescope: args.gradescope,
    checkIds: checkIdsOf(plan.reports),
  });
  output.stdout.text(classSummary(plan.reports, paths, `${plan.reports.length} labs merged from ${args.dirs.length} directories`));
  return gradedExit(allPassed(plan.reports));
}
