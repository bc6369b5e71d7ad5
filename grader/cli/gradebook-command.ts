import path from 'node:path';
import { LATE_POLICY_HELP, parseInstant, parseLatePolicy } from '../class-report/deadlines.ts';
import { ConfigError } from '../config/config-error.ts';
import { loadInventory } from '../config/inventory.ts';
import { probeOutDir } from '../report/out-dir.ts';
import { exportClassFiles } from '../store/class-exports.ts';
import { ATTEMPT_POLICIES, type AttemptPolicy } from '../store/course-view.ts';
import { isPostgresUrl, STORE_FILE } from '../store/open-store.ts';
import { classSummary } from './class-files.ts';
import { applyCourseSettings, fileExists, openCourseRecord, recordLocation, warnRosterProblems } from './course-record.ts';
import { checkCourseSettings } from './course-settings.ts';
import { junitFlavorOf, parseSubcommandArgs, printedHelp } from './subcommand-args.ts';
import { optionsOf } from './option-table.ts';
import { output } from './output.ts';

export const GRADEBOOK_USAGE = `Usage: npm run grade -- gradebook [--out DIR | --store URL] [--files DIR] [--at TIME]
                              [--policy latest|best] [--late POLICY] [--deadline TIME] [--roster FILE]
                              [--inventory FILE] [--gradescope] [--junit-flavor FLAVOR] [--excel]
Draws class.xml, gradebook.csv and class.html (and with --gradescope the Gradescope files) from the
course record of --out (its grades.sqlite) or of --store (a PostgreSQL URL; default $GRADER_STORE),
into --files (default: --out; with --at, DIR/as-of-TIME). Grades nothing.
  --at TIME         the class as it stood then (attempts that ended by TIME; with its zone)
  --policy P        which counting attempt is a lab's grade: latest (default) | best
  --late POLICY     for this gradebook only: ${LATE_POLICY_HELP} (default: the kept one)
  --deadline TIME   --roster FILE: kept in the record, as with grading
  --inventory FILE  the class's labs: those with no grading are listed, the roster checked against it`;

const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export async function gradebookCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, GRADEBOOK_USAGE)) return 0;
  const { values, positionals } = parseSubcommandArgs('gradebook', argv, {
    ...optionsOf(['out', 'store', 'late', 'deadline', 'roster', 'inventory', 'gradescope', 'junit-flavor', 'excel']),
    files: { type: 'string' },
    at: { type: 'string' },
    policy: { type: 'string' },
  });
  const problems = checkCourseSettings({ deadline: values.deadline, late: values.late });
  if (positionals.length > 0) problems.push(`gradebook: unexpected argument '${positionals[0]}' (see gradebook --help)`);
  const at = values.at === undefined ? undefined : parseInstant(values.at);
  if (at && !at.ok) problems.push(`--at: ${at.reason}`);
  const policy = (values.policy ?? 'latest') as AttemptPolicy;
  if (!ATTEMPT_POLICIES.includes(policy)) problems.push(`--policy must be one of ${ATTEMPT_POLICIES.join(', ')} (got '${values.policy}')`);
  const junitFlavor = junitFlavorOf(values['junit-flavor'], problems);
  const where = recordLocation({ out: values.out ?? 'reports', ...(values.store ? { store: values.store } : {}) });
  const base = values.files ?? (isPostgresUrl(where) ? values.out : (values.out ?? where));
  if (base === undefined) problems.push('gradebook: --files DIR (or --out DIR) is needed: where the class files go');
  if (problems.length > 0) throw new ConfigError(problems);
  if (!isPostgresUrl(where) && !(await fileExists(path.join(where, STORE_FILE))) && !(await fileExists(where))) {
    throw new ConfigError([`gradebook: no course record in ${where} (grade into it first, or give --store URL)`]);
  }
  const files = values.files ?? (at?.ok ? path.join(base!, `as-of-${compact(at.iso)}`) : base!);
  await probeOutDir(files);
  const classLabs = values.inventory ? [...(await loadInventory(values.inventory)).labs.keys()] : undefined;
  const store = await openCourseRecord({ out: values.out ?? 'reports', ...(values.store ? { store: values.store } : {}) });
  try {
    const roster = await applyCourseSettings(store, { roster: values.roster, deadline: values.deadline });
    warnRosterProblems(roster, classLabs, classLabs ?? [...(roster?.keys() ?? [])]);
    const { drawn, paths } = await exportClassFiles(store, files, {
      ...(classLabs ? { classLabs } : {}),
      ...(at?.ok ? { at: at.iso } : {}),
      policy,
      ...(values.late ? { latePolicy: parseLatePolicy(values.late)! } : {}),
      junitFlavor,
      gradescope: values.gradescope ?? false,
      excel: values.excel ?? false,
    });
    const reports = drawn.labs.map((l) => l.report);
    const late = drawn.labs.filter((l) => (l.attempt?.lateByMs ?? 0) > 0).length;
    output.stdout.text(classSummary(reports, paths, `${reports.length} labs from ${store.location}${at?.ok ? ` as at ${at.iso}` : ''}${late > 0 ? `, ${late} late` : ''}${drawn.missing.length > 0 ? `, ${drawn.missing.length} with no grading` : ''}`));
    return 0;
  } finally {
    await store.close();
  }
}
