import { describe, expect, it } from 'vitest';
import { renderClassHtml } from './class-html.ts';
import { possibleCopies, possibleCopyCell } from './copies.ts';
import { classLabReport, sampleClass, CHECK_IDS } from '../../test/support/sample-class.ts';
import type { HostIdentity, LabReport } from '../core/lab-report.ts';

function withIdentity(lab: string, identities: Record<string, HostIdentity>): LabReport {
  const report = classLabReport(lab);
  return { ...report, hosts: report.hosts.map((h) => (identities[h.role] ? { ...h, identity: identities[h.role] } : h)) };
}

describe('possible copies', () => {
  it('pairs labs sharing a host key, machine-id, domain UUID or disk image, saying what and where', () => {
    const copies = possibleCopies([
      withIdentity('lab1', { vm1: { machineId: 'a'.repeat(32), macs: ['52:54:00:00:00:01'] }, vm3: { domainUuid: 'u-1' } }),
      withIdentity('lab2', { router: { machineId: 'a'.repeat(32) }, vm3: { domainUuid: 'u-1', diskImages: ['h:/x.qcow2'] } }),
      withIdentity('lab3', { vm1: { macs: ['52:54:00:00:00:02'] }, vm3: { diskImages: ['h:/y.qcow2'] } }),
    ]);
    expect(copies.get('lab1')).toEqual([{ lab: 'lab2', shared: [`vm1 machine-id ${'a'.repeat(32)} (its router)`, 'vm3 domain UUID u-1'] }]);
    expect(copies.get('lab2')).toEqual([{ lab: 'lab1', shared: [`router machine-id ${'a'.repeat(32)} (its vm1)`, 'vm3 domain UUID u-1'] }]);
    expect(copies.has('lab3')).toBe(false);
  });

  it('never flags a copy on a MAC alone: a guest can set any MAC, and MACs are seen on a shared network (issue 25, item 10)', () => {
    // Student B copies A's MAC onto a spare NIC (down, no address): A must not be flagged.
    const a = withIdentity('alice', { vm1: { hostKey: 'ssh-ed25519 SHA256:a', macs: ['52:54:00:aa:aa:01'] } });
    const b = withIdentity('bob', { vm1: { hostKey: 'ssh-ed25519 SHA256:b', macs: ['52:54:00:bb:bb:01', '52:54:00:aa:aa:01'] } });
    const copies = possibleCopies([a, b]);
    expect(copies.size).toBe(0);
    expect(possibleCopyCell(copies.get('alice'))).toBe('');
  });

  it('shows a shared MAC beside strong evidence, marked as weak', () => {
    const shared = { hostKey: 'ssh-ed25519 SHA256:same', macs: ['52:54:00:aa:aa:01'] };
    const copies = possibleCopies([withIdentity('lab1', { vm1: shared }), withIdentity('lab2', { vm1: shared })]);
    expect(copies.get('lab1')).toEqual([{ lab: 'lab2', shared: ['vm1 host key ssh-ed25519 SHA256:same'], weak: ['vm1 MAC 52:54:00:aa:aa:01'] }]);
    expect(possibleCopyCell(copies.get('lab1'))).toBe('lab2 (vm1 host key ssh-ed25519 SHA256:same; weak, a guest can set it: vm1 MAC 52:54:00:aa:aa:01)');
  });

  it('does not flag a lab whose own VMs share a value, nor labs with no identity', () => {
    const same = { machineId: 'b'.repeat(32) };
    expect(possibleCopies([withIdentity('lab1', { vm1: same, vm3: same }), classLabReport('lab2'), classLabReport('lab3')]).size).toBe(0);
  });

  it('lists them on the class page only when there are some', () => {
    const report = sampleClass();
    expect(renderClassHtml(report, CHECK_IDS)).not.toContain('possible-copies');
    const key = { hostKey: 'ssh-ed25519 SHA256:<b>k</b>' };
    report.labs[0]!.report = withIdentity(report.labs[0]!.lab, { vm1: key });
    report.labs[1]!.report = withIdentity(report.labs[1]!.lab, { vm1: key });
    const html = renderClassHtml(report, CHECK_IDS);
    expect(html).toContain('<h2>Possible copies (2 labs)</h2>');
    expect(html).toContain('vm1 host key ssh-ed25519 SHA256:&#60;b&#62;k&#60;/b&#62;');
    expect(html).not.toContain('<b>k');
    expect(html).toMatch(/MAC addresses.*are weak evidence/);
  });
});

describe('possible copies from addressing plans', () => {
  it("flags a lab built on a classmate's plan, naming whose, and nobody else", () => {
    const copier = classLabReport('nc3');
    copier.results.push({ ...copier.results[0]!, id: 'plan', kind: 'plan', host: 'lab', status: 'fail', reason: 'other-students-plan', subject: { otherStudent: 's1', otherLab: 'nc1' } });
    const copies = possibleCopies([classLabReport('nc1'), classLabReport('nc2'), copier]);
    expect([...copies.keys()]).toEqual(['nc3']);
    expect(possibleCopyCell(copies.get('nc3'))).toBe('nc1 (built on the addressing plan of s1)');
  });
});
