import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../core/result.ts';
import type { LabReport } from '../core/lab-report.ts';
import { evidenceBasis } from '../core/evidence-basis.ts';
import { asStudentHost } from './student-host-evidence.ts';

const result = (id: string, extra: Partial<CheckResult>): CheckResult => ({ id, kind: id, host: 'vm1', title: id, status: 'pass', points: 1, maxPoints: 1, message: '', evidence: [], measurements: {}, durationMs: 1, ...extra });

describe("a report graded with the student's machine as hypervisor", () => {
  it("says student-host where the grader's hypervisor code read it, and leaves the VMs' own evidence as it was", () => {
    const report = {
      results: [
        result('ping', { evidenceScope: 'hypervisor', evidence: [{ host: 'vm1', command: 'ping', exitCode: 0, output: '' }, { host: 'hypervisor', command: 'virsh -c qemu:///system domifstat r vnet1', exitCode: 0, output: '' }] }),
        result('ip-forward', {}),
        result('iperf', { evidenceScope: 'in-vm' }),
      ],
    } as unknown as LabReport;
    report.evidenceBasis = evidenceBasis(report);
    expect(report.evidenceBasis.hypervisor).toBe(true);
    const marked = asStudentHost(report);
    // What the verdicts rest on is the VMs' word (and the student's machine's), never the hypervisor's.
    expect(marked.evidenceBasis).toMatchObject({ hypervisor: false, inVmOnly: ['ping vm1', 'ip-forward vm1', 'iperf vm1'] });
    expect(marked.results.map((r) => r.evidenceScope)).toEqual(['student-host', undefined, 'in-vm']);
    expect(marked.results[0]!.evidence.map((e) => e.host)).toEqual(['vm1', 'student-host']);
    expect(report.results[0]!.evidenceScope).toBe('hypervisor');
  });
});
