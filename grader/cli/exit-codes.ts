// The exit codes of the grader (docs/reference/exit-codes.md is generated from the comments below; USAGE).
/** Every check passed (of the lab, or of every lab of the class files: grade, merge and rescore alike). */
export const EXIT_PASSED = 0;
/**
 * A check failed or could not be graded (reports written): grade, merge and rescore exit so on the
 * same reports (for rescore, a result that needs a live run could not be graded). To tell "a check
 * failed" from "a check could not be graded", a CI script reads the console's summary line
 * `Score: S/M (P passed, F failed, E errors)` (F > 0: a failure; E > 0: not graded; see
 * SUMMARY_LINE_PATTERN in grader/report/console.ts) or the JSON report's `summary`.
 */
export const EXIT_NOT_ALL_PASSED = 1;
/** Usage or configuration error: one line per problem on stderr, nothing graded. */
export const EXIT_CONFIG_ERROR = 2;
/** Internal error of the grader (a bug: please report it). */
export const EXIT_INTERNAL_ERROR = 3;
/** Graded, but reports could not be written (a full disk, a read-only mount): the results are on the console. */
export const EXIT_REPORTS_NOT_WRITTEN = 4;
/** `--help`, `--list`, an empty shard: nothing graded, so nothing failed. */
export const EXIT_NOTHING_GRADED = 0;
/** Ctrl-C (128 + SIGINT, as a shell reports it). */
export const EXIT_INTERRUPTED = 130;

/** Graded and reported: 0 when every check passed, 1 otherwise. */
export function gradedExit(allPassed: boolean): number {
  return allPassed ? EXIT_PASSED : EXIT_NOT_ALL_PASSED;
}
