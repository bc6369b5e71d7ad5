import type { Student } from '../class-report/class-report.ts';
import { isLabPlan } from '../plan/lab-plan.ts';
import { classPlans, type ClassPlans } from '../plan/plan-checks.ts';
import type { CourseStore } from './course-store.ts';

// The class's addressing plans (npm run grade -- plans) by lab, from the course record and the
// roster (lab -> student), for grading each lab against its own: by a command or the course server.
export async function storedPlans(store: CourseStore, roster: ReadonlyMap<string, Student> | undefined): Promise<ClassPlans> {
  const stored = await store.plans();
  return classPlans(stored.map((row) => row.plan).filter(isLabPlan), roster);
}
