import { readFile } from 'node:fs/promises';
import { parseSubnet, subnetContains } from '../../grader/core/ipv4.ts';
import { isLabPlan, PLAN_FIELDS, type LabPlan, type PlanField } from '../../grader/plan/lab-plan.ts';
import { LabUsageError } from './errors.ts';

/** A student's addressing plan, as `npm run grade -- plans` writes it into plans.json: what a lab is built on. */
export type StudentAddressing = Pick<LabPlan, PlanField>;

// The plan of `student` in a plans.json, checked: a plan the plans command wrote, each router
// address inside its network; every mistake is one usage error naming the file.
export async function readStudentAddressing(file: string, student: string): Promise<StudentAddressing> {
  let plans: unknown;
  try {
    plans = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'not JSON';
    throw new LabUsageError(`--plan ${file}: cannot be read (${why}); give the plans.json that 'npm run grade -- plans' wrote`);
  }
  if (!Array.isArray(plans)) throw new LabUsageError(`--plan ${file}: not a list of plans; give the plans.json that 'npm run grade -- plans' wrote`);
  const entry: unknown = plans.find((p: { studentId?: unknown } | null) => p?.studentId === student);
  if (!entry) throw new LabUsageError(`--plan ${file}: no plan for student '${student}'`);
  if (!isLabPlan(entry) || !routersInside(entry)) throw new LabUsageError(`--plan ${file}: the plan of '${student}' is not two networks with the router's address in each`);
  return Object.fromEntries(PLAN_FIELDS.map((field) => [field, entry[field]])) as StudentAddressing;
}

function routersInside(plan: LabPlan): boolean {
  try {
    return subnetContains(parseSubnet(plan.vm1Network), plan.routerOnVm1) && subnetContains(parseSubnet(plan.vm3Network), plan.routerOnVm3);
  } catch {
    return false;
  }
}
