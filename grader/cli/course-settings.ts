import { LATE_POLICY_HELP, parseInstant, parseLatePolicy } from '../class-report/deadlines.ts';

// What a command may set in the course record on its command line (checked at parse time, so that
// a mistake is an exit 2 before anything is opened or graded).
export interface CourseSettings {
  roster?: string;
  deadline?: string;
  late?: string;
}

/** Checks --deadline and --late before anything is opened or graded. */
export function checkCourseSettings(settings: CourseSettings): string[] {
  const problems: string[] = [];
  if (settings.deadline !== undefined) {
    const instant = parseInstant(settings.deadline);
    if (!instant.ok) problems.push(`--deadline: ${instant.reason}`);
  }
  if (settings.late !== undefined && !parseLatePolicy(settings.late)) problems.push(`--late must be ${LATE_POLICY_HELP} (got '${settings.late}')`);
  return problems;
}

