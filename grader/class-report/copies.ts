import type { HostIdentity, LabReport } from '../core/lab-report.ts';
import { escapeLine } from './html-text.ts';
import type { ClassReport } from './class-report.ts';

// Another lab a lab shares something with that a copied VM keeps.
export interface PossibleCopy {
  lab: string;
  /** What they share, one phrase each: `vm1 host key ssh-ed25519 SHA256:... (its vm3)`. */
  shared: string[];
}

const WHAT: Array<[keyof HostIdentity, string]> = [
  ['hostKey', 'host key'],
  ['machineId', 'machine-id'],
  ['macs', 'MAC'],
  ['domainUuid', 'domain UUID'],
  ['diskImages', 'disk image'],
];

function valuesOf(identity: HostIdentity, key: keyof HostIdentity): string[] {
  const value = identity[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

// For each lab, the other labs whose VMs share a host key, machine-id, MAC, domain UUID or disk
// image with one of its VMs, and what they share. Only between labs: a lab whose own VMs share
// a value (one student cloning their own VM) is no one else's copy. A flag, never a score.
export function possibleCopies(reports: readonly LabReport[]): Map<string, PossibleCopy[]> {
  const holders = new Map<string, Array<{ lab: string; role: string }>>();
  for (const report of reports) {
    for (const host of report.hosts) {
      if (!host.identity) continue;
      for (const [key, what] of WHAT) {
        for (const value of valuesOf(host.identity, key)) {
          const id = `${what} ${value}`;
          holders.set(id, [...(holders.get(id) ?? []), { lab: report.lab, role: host.role }]);
        }
      }
    }
  }
  const copies = new Map<string, Map<string, string[]>>();
  for (const [id, who] of holders) {
    for (const a of who) {
      for (const b of who) {
        if (a.lab === b.lab) continue;
        const byLab = copies.get(a.lab) ?? new Map<string, string[]>();
        copies.set(a.lab, byLab);
        const phrase = `${a.role} ${id}${a.role === b.role ? '' : ` (its ${b.role})`}`;
        const shared = byLab.get(b.lab) ?? [];
        if (!shared.includes(phrase)) shared.push(phrase);
        byLab.set(b.lab, shared);
      }
    }
  }
  return new Map([...copies].map(([lab, byLab]) => [lab, [...byLab].sort(([x], [y]) => x.localeCompare(y)).map(([other, shared]) => ({ lab: other, shared }))]));
}

// The gradebook's `possible_copy_of` cell: `lab2 (vm1 host key ...; vm1 machine-id ...)`, `|` between labs.
export function possibleCopyCell(copies: readonly PossibleCopy[] | undefined): string {
  return (copies ?? []).map((c) => `${c.lab} (${c.shared.join('; ')})`).join(' | ');
}

// The class page's section listing the labs that may share a VM; empty when none do.
export function copiesSection(report: ClassReport): string {
  const copies = possibleCopies(report.labs.map((l) => l.report));
  if (copies.size === 0) return '';
  const rows = report.labs
    .filter((lab) => copies.has(lab.lab))
    .map((lab) => `<tr><td class="who">${escapeLine(lab.lab)}</td><td><ul class="reasons">${copies.get(lab.lab)!.map((c) => `<li>${escapeLine(c.lab)}: ${c.shared.map(escapeLine).join('; ')}</li>`).join('')}</ul></td></tr>`);
  return `<section id="possible-copies">
<h2>Possible copies (${copies.size} labs)</h2>
<p class="note">These labs' VMs share what a copied VM keeps (SSH host key, machine-id, MAC address, libvirt domain UUID or disk image). A flag to look into, not a grade: scores are unchanged.</p>
<table>
<thead><tr><th>Lab</th><th>Shares with</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}
