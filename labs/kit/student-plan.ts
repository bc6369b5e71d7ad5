import { readFile } from 'node:fs/promises';
import { isIpv4, parseSubnet, subnetContains } from '../../grader/core/ipv4.ts';
import { LabUsageError } from './errors.ts';

/** A student's addressing plan, as `npm run grade -- plans` writes it into plans.json. */
export interface StudentAddressing {
  vm1Network: string;
  vm3Network: string;
  routerOnVm1: string;
  routerOnVm3: string;
}

const isCidr = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  try {
    return `${parseSubnet(value).network}/${parseSubnet(value).prefixLength}` === value;
  } catch {
    return false;
  }
};

// The plan of `student` in a plans.json, checked: the networks are networks and each router
// address is inside its network; every mistake is one usage error naming the file.
export async function readStudentAddressing(file: string, student: string): Promise<StudentAddressing> {
  let plans: unknown;
  try {
    plans = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'not JSON';
    throw new LabUsageError(`--plan ${file}: cannot be read (${why}); give the plans.json that 'npm run grade -- plans' wrote`);
  }
  if (!Array.isArray(plans)) throw new LabUsageError(`--plan ${file}: not a list of plans; give the plans.json that 'npm run grade -- plans' wrote`);
  const entry = plans.find((p: { studentId?: unknown }) => p && p.studentId === student) as Record<string, unknown> | undefined;
  if (!entry) throw new LabUsageError(`--plan ${file}: no plan for student '${student}'`);
  const { vm1Network, vm3Network, routerOnVm1, routerOnVm3 } = entry;
  if (!isCidr(vm1Network) || !isCidr(vm3Network) || typeof routerOnVm1 !== 'string' || typeof routerOnVm3 !== 'string' || !isIpv4(routerOnVm1) || !isIpv4(routerOnVm3)
    || !subnetContains(parseSubnet(vm1Network), routerOnVm1) || !subnetContains(parseSubnet(vm3Network), routerOnVm3)) {
    throw new LabUsageError(`--plan ${file}: the plan of '${student}' is not two networks with the router's address in each`);
  }
  return { vm1Network, vm3Network, routerOnVm1, routerOnVm3 };
}
