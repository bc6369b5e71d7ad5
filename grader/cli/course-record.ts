import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Student } from '../class-report/class-report.ts';
import { collectReports } from '../class-report/collect-reports.ts';
import { formatLatePolicy, parseInstant, parseLatePolicy } from '../class-report/deadlines.ts';
import type { CourseSettings } from './course-settings.ts';
import { loadRoster, rosterFromLines, rosterLinesOf, rosterMismatch, rosterWarnings } from '../class-report/roster.ts';
import { ConfigError } from '../config/config-error.ts';
import type { LabReport } from '../core/lab-report.ts';
import type { CourseStore } from '../store/course-store.ts';
import { isPostgresUrl, openStore, STORE_FILE } from '../store/open-store.ts';
import { attemptOf, type AttemptSource } from '../store/record-attempt.ts';
import { StoreError } from '../store/store-error.ts';
import { output } from './output.ts';
import type { ClassPlans } from '../plan/plan-checks.ts';
import { storedPlans } from '../store/stored-plans.ts';

const warn = (line: string): void => output.stderr.line(`router-lab-grader: ${line}`);

export interface RecordOptions {
  /** The --out folder: class files go there, and its grades.sqlite is the record unless --store. */
  out: string;
  /** --store URL (or GRADER_STORE): a PostgreSQL database, or another folder. */
  store?: string;
}

/** Where the record is: --store, else GRADER_STORE, else the --out folder. */
export function recordLocation(options: RecordOptions, env: NodeJS.ProcessEnv = process.env): string {
  return options.store ?? (env.GRADER_STORE || undefined) ?? options.out;
}

// A store that cannot be opened is a configuration error, known before anything is graded.
export function asConfigError(error: unknown): unknown {
  return error instanceof StoreError ? new ConfigError([error.message]) : error;
}

/**
 * Opens the course record for a command (exit 2 when it cannot be). A folder whose record is new
 * but which holds JSON reports of an earlier grader has them imported first (command `import`),
 * so that nothing graded before the record existed is lost.
 */
export async function openCourseRecord(options: RecordOptions): Promise<CourseStore> {
  const where = recordLocation(options);
  const isNew = !isPostgresUrl(where) && !(await fileExists(path.join(where, STORE_FILE)));
  let store: CourseStore;
  try {
    store = await openStore(where);
  } catch (error) {
    throw asConfigError(error);
  }
  if (isNew) {
    const found = await collectReports(where);
    if (found.length > 0) {
      try {
        const recorded = await store.recordAll(found.map(({ report }) => attemptOf(report, { command: 'import' })));
        warn(`imported ${recorded.filter((r) => r.fresh).length} lab reports found in ${where} into its new course record (${STORE_FILE})`);
      } catch (error) {
        await store.close();
        throw asConfigError(error);
      }
    }
  }
  return store;
}

/** Whether a file or folder exists (what a command may open or import). */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

// A roster given now is stored (a new version when it differs), else the stored one is used:
// given once, it names the students of every later command. Also stores --deadline and --late.
export async function applyCourseSettings(store: CourseStore, settings: CourseSettings): Promise<Map<string, Student> | undefined> {
  try {
    if (settings.deadline !== undefined) {
      const instant = parseInstant(settings.deadline);
      if (instant.ok && (await store.setting('deadline')) !== instant.iso) await store.setSetting('deadline', instant.iso);
    }
    const late = settings.late === undefined ? undefined : parseLatePolicy(settings.late);
    if (late && (await store.setting('late-policy')) !== formatLatePolicy(late)) await store.setSetting('late-policy', formatLatePolicy(late));
    if (settings.roster !== undefined) {
      const roster = await loadRoster(settings.roster);
      await store.putRoster(rosterLinesOf(roster), settings.roster);
      return roster;
    }
    const kept = await store.roster();
    return kept ? rosterFromLines(kept.entries) : undefined;
  } catch (error) {
    throw asConfigError(error);
  }
}

// The roster's problems for this class, reported before grading, the same way by every command.
export function warnRosterProblems(roster: ReadonlyMap<string, Student> | undefined, inventoryLabs: readonly string[] | undefined, classLabs: readonly string[]): void {
  if (!roster) return;
  for (const line of rosterWarnings(rosterMismatch(roster, inventoryLabs ?? [...roster.keys()], classLabs))) warn(line);
}

// Records a finished grading; a store that fails now (disk full, server gone) is said on stderr
// and returned as the reason, never silently lost (the report is still written as JSON).
export async function recordReport(store: CourseStore, report: LabReport, source: AttemptSource): Promise<string | undefined> {
  try {
    await store.record(attemptOf(report, source));
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `it could not be recorded (${message})`;
  }
}

// The class's addressing plans by lab (a store that fails now is a configuration error).
export function planLookup(store: CourseStore, roster: ReadonlyMap<string, Student> | undefined): Promise<ClassPlans> {
  return storedPlans(store, roster).catch((error: unknown) => Promise.reject(asConfigError(error)));
}
