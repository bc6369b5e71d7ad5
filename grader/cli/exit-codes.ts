// The exit codes of the grader (README, "Exit codes"; USAGE).
export const EXIT_PASSED = 0;
export const EXIT_NOT_ALL_PASSED = 1;
export const EXIT_CONFIG_ERROR = 2;
export const EXIT_INTERNAL_ERROR = 3;
/** Graded, but reports could not be written (a full disk, a read-only mount): the results are on the console. */
export const EXIT_REPORTS_NOT_WRITTEN = 4;
