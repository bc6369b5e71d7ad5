import path from 'node:path';
import type { Student } from '../class-report/class-report.ts';
import { csvDocument } from '../class-report/csv-records.ts';
import { ConfigError } from '../config/config-error.ts';
import { checkPlanPools, drawClassPlans, PlanDrawError } from '../plan/draw-plans.ts';
import { handoutOf } from '../plan/handout.ts';
import { handoutHtml, handoutMarkdown } from '../plan/handout-render.ts';
import { DEFAULT_EXCLUDE, DEFAULT_POOLS, DEFAULT_PREFIX_LENGTH, isLabPlan, PLAN_FIELDS, type LabPlan, type PlanPools } from '../plan/lab-plan.ts';
import { describeWriteError } from '../report/out-dir.ts';
import { writeFileAtomic } from '../report/write-file-atomic.ts';
import { applyCourseSettings, asConfigError, openCourseRecord } from './course-record.ts';
import { EXIT_PASSED, EXIT_REPORTS_NOT_WRITTEN } from './exit-codes.ts';
import { output } from './output.ts';
import { parseSubcommandArgs, printedHelp } from './subcommand-args.ts';

export const PLANS_USAGE = `Usage: npm run grade -- plans [--roster FILE] [--out DIR | --store URL] [--pool CIDR ...]
                              [--prefix-length N] [--exclude CIDR ...] [--reseed ID ...]
Gives each student of the roster their own addressing plan (the two internal networks and the
router's address on each), drawn from the course secret kept in the course record: running it
again changes nothing, a new student gets a new plan, --reseed ID draws that student's again.
Writes DIR/plans.csv, DIR/plans.json and a handout per student (DIR/handouts/LAB.md and .html).
  --pool CIDR           where networks are drawn (repeatable; default: ${DEFAULT_POOLS.join(', ')})
  --prefix-length N     the size of each internal network (default: ${DEFAULT_PREFIX_LENGTH}; at most 29)
  --exclude CIDR        a network no plan may overlap (repeatable; default: ${DEFAULT_EXCLUDE.join(', ')},
                        libvirt's default network, the management network)
  --reseed ID           draw this student's plan again (repeatable)`;

export interface PlansArgs {
  roster?: string;
  out: string;
  store?: string;
  /** Absent when not given: the pools of the plans already drawn, else the defaults. */
  pools?: Partial<PlanPools>;
  reseed: string[];
}

export function parsePlansArgs(argv: string[]): PlansArgs {
  const { values, positionals } = parseSubcommandArgs('plans', argv, {
    roster: { type: 'string' },
    out: { type: 'string' },
    store: { type: 'string' },
    pool: { type: 'string', multiple: true },
    'prefix-length': { type: 'string' },
    exclude: { type: 'string', multiple: true },
    reseed: { type: 'string', multiple: true },
  });
  if (positionals.length > 0) throw new ConfigError([`plans: unexpected argument '${positionals[0]}' (see plans --help)`]);
  const pools: Partial<PlanPools> = {
    ...(values.pool ? { pools: values.pool } : {}),
    ...(values['prefix-length'] !== undefined ? { prefixLength: Number(values['prefix-length']) } : {}),
    ...(values.exclude ? { exclude: values.exclude } : {}),
  };
  return {
    ...(values.roster !== undefined ? { roster: values.roster } : {}),
    out: values.out ?? 'reports',
    ...(values.store !== undefined ? { store: values.store } : {}),
    ...(Object.keys(pools).length > 0 ? { pools } : {}),
    reseed: values.reseed ?? [],
  };
}

/** The pools of this run: the options given, over those the class's plans were drawn from, over the defaults. */
function poolsOf(given: Partial<PlanPools> | undefined, kept: readonly LabPlan[]): PlanPools {
  const before = kept.at(-1)?.drawnFrom;
  return {
    pools: given?.pools ?? before?.pools ?? DEFAULT_POOLS,
    prefixLength: given?.prefixLength ?? before?.prefixLength ?? DEFAULT_PREFIX_LENGTH,
    exclude: given?.exclude ?? before?.exclude ?? DEFAULT_EXCLUDE,
  };
}

async function writePlanFiles(out: string, plans: readonly LabPlan[], roster: ReadonlyMap<string, Student>): Promise<void> {
  const labOf = new Map([...roster].map(([lab, student]) => [student.id, lab]));
  const onRoster = plans.filter((plan) => labOf.has(plan.studentId));
  // Never through a link planted in --out (its handouts/ folder included).
  const inOut = { root: out };
  const rows = onRoster.map((plan) => {
    const lab = labOf.get(plan.studentId)!;
    return [plan.studentId, roster.get(lab)?.name ?? '', lab, ...PLAN_FIELDS.map((field) => plan[field]), String(plan.draw)];
  });
  await writeFileAtomic(path.join(out, 'plans.csv'), csvDocument([['student_id', 'name', 'lab', ...PLAN_FIELDS, 'draw'], ...rows]), inOut);
  await writeFileAtomic(path.join(out, 'plans.json'), `${JSON.stringify(onRoster.map((plan) => ({ ...plan, lab: labOf.get(plan.studentId) })), null, 2)}\n`, inOut);
  for (const plan of onRoster) {
    const lab = labOf.get(plan.studentId)!;
    const student = roster.get(lab);
    const handout = handoutOf(plan, student?.name ? `${student.name} (${plan.studentId})` : plan.studentId);
    await writeFileAtomic(path.join(out, 'handouts', `${lab}.md`), handoutMarkdown(handout), inOut);
    await writeFileAtomic(path.join(out, 'handouts', `${lab}.html`), handoutHtml(handout), inOut);
  }
}

export async function plansCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, PLANS_USAGE)) return EXIT_PASSED;
  const args = parsePlansArgs(argv);
  const store = await openCourseRecord(args);
  try {
    const roster = await applyCourseSettings(store, args.roster !== undefined ? { roster: args.roster } : {});
    if (!roster) throw new ConfigError(['plans: no roster: give one with --roster FILE (it is kept in the course record for later commands)']);
    const stored = (await store.plans().catch((error: unknown) => Promise.reject(asConfigError(error)))).map((row) => row.plan);
    const kept = stored.filter(isLabPlan);
    if (kept.length < stored.length) throw new ConfigError([`plans: ${stored.length - kept.length} stored plans in ${store.location} are not plans this grader wrote`]);
    const pools = poolsOf(args.pools, kept);
    const problems = checkPlanPools(pools);
    const ids = [...roster.values()].map((student) => student.id);
    const unknown = args.reseed.filter((id) => !ids.includes(id));
    for (const id of unknown) problems.push(`--reseed ${id}: no student of the roster has that id`);
    if (problems.length > 0) throw new ConfigError(problems);
    let drawn: LabPlan[];
    let plans: LabPlan[];
    try {
      ({ drawn, plans } = drawClassPlans(await store.courseSecret(), ids, kept, pools, args.reseed));
    } catch (error) {
      throw error instanceof PlanDrawError ? new ConfigError([error.message]) : error;
    }
    for (const plan of drawn) await store.putPlan(plan.studentId, plan).catch((error: unknown) => Promise.reject(asConfigError(error)));
    try {
      await writePlanFiles(args.out, plans, roster);
    } catch (error) {
      output.stderr.line(`router-lab-grader: the plans are in the course record, but their files could not be written to ${args.out} (${describeWriteError(error)})`);
      return EXIT_REPORTS_NOT_WRITTEN;
    }
    output.stdout.line(`${plans.length} plans (${drawn.length} drawn now, ${plans.length - drawn.length} kept) in ${path.join(args.out, 'plans.csv')}; handouts in ${path.join(args.out, 'handouts')}/`);
    return EXIT_PASSED;
  } finally {
    await store.close();
  }
}
