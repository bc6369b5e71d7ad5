// What a lab's verdicts rest on (issue 25, item 1c): the VMs' own word only, or also the
// hypervisor's counters, which nothing inside a VM can change. Said plainly in the console, the
// JSON report and the class page. Pure.
import type { EvidenceBasis, LabReport } from './lab-report.ts';
import type { CheckResult } from './result.ts';

const nameOf = (r: CheckResult) => (r.host === 'lab' ? r.id : `${r.id} ${r.host}`);

export const IN_VM_NOTE =
  "every verdict rests on what the VMs themselves report, which a student with root on them can change; grading through the lab server's hypervisor (hypervisor: in the inventory) adds counters no VM can change";

export function evidenceBasis(report: Pick<LabReport, 'results'>): EvidenceBasis {
  const graded = report.results.filter((r) => r.status !== 'error');
  const hypervisor = graded.some((r) => r.evidenceScope === 'hypervisor');
  const inVmOnly = graded.filter((r) => r.evidenceScope !== 'hypervisor').map(nameOf);
  const note = hypervisor
    ? `the traffic verdicts also rest on the hypervisor's counters of the router's NICs, which no VM can change; ${inVmOnly.length > 0 ? `these rest on what the VMs report only: ${inVmOnly.join(', ')}` : 'nothing rests on the VMs alone'}`
    : IN_VM_NOTE;
  return { hypervisor, inVmOnly, note };
}
