import type { Student } from '../class-report/class-report.ts';
import { plan as planKind, type OtherPlan } from '../checks/kinds/plan.ts';
import type { CheckSpec } from '../config/check-file.ts';
import type { LabPlan } from './lab-plan.ts';

// Grading against the plans: a `plan` check of the check file is filled in, per lab, with the
// plan of the lab's student (through the roster) and every other plan of the class, so that a lab
// built on a classmate's plan is named as such. A lab whose student has no plan leaves the check
// out: it grades as it would in a course without plans.

/** The plan of each lab of the class, and the others': what `checksForLab` needs. */
export interface ClassPlans {
  of(lab: string): { own: LabPlan; others: OtherPlan[] } | undefined;
}

/** The class's plans by lab, from the course record's plans and its roster (lab -> student). */
export function classPlans(plans: readonly LabPlan[], roster: ReadonlyMap<string, Student> | undefined): ClassPlans {
  const labOf = new Map([...(roster ?? [])].map(([lab, student]) => [student.id, lab]));
  const byStudent = new Map(plans.map((plan) => [plan.studentId, plan]));
  const all: OtherPlan[] = plans.map((plan) => ({
    student: plan.studentId,
    ...(labOf.has(plan.studentId) ? { lab: labOf.get(plan.studentId)! } : {}),
    vm1Network: plan.vm1Network,
    vm3Network: plan.vm3Network,
  }));
  return {
    of(lab) {
      const own = byStudent.get(roster?.get(lab)?.id ?? '');
      return own ? { own, others: all.filter((other) => other.student !== own.studentId) } : undefined;
    },
  };
}

/** The checks one lab is graded with: its `plan` checks filled in from its plan, or left out without one. */
export function checksForLab(checks: readonly CheckSpec[], planned: ReturnType<ClassPlans['of']>): CheckSpec[] {
  return checks.flatMap((spec) => {
    if (spec.kind !== planKind) return [spec];
    if (!planned) return [];
    const { own, others } = planned;
    const params = { ...spec.params, student: own.studentId, vm1Network: own.vm1Network, vm3Network: own.vm3Network, routerOnVm1: own.routerOnVm1, routerOnVm3: own.routerOnVm3, otherPlans: others };
    return [{ ...spec, params }];
  });
}
