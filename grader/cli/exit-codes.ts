// The exit codes of the grader (README, "Exit codes"; USAGE).
export const EXIT_PASSED = 0;
/**
 * Not every check passed. To tell "a check failed" from "a check could not be graded", a CI
 * script reads the console's summary line `Score: S/M (P passed, F failed, E errors)` (F > 0: a
 * failure; E > 0: not graded; see SUMMARY_LINE_PATTERN in grader/report/console.ts) or the JSON
 * report's `summary`.
 */
export const EXIT_NOT_ALL_PASSED = 1;
export const EXIT_CONFIG_ERROR = 2;
export const EXIT_INTERNAL_ERROR = 3;
/** Graded, but reports could not be written (a full disk, a read-only mount): the results are on the console. */
export const EXIT_REPORTS_NOT_WRITTEN = 4;
