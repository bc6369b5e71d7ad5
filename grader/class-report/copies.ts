import type { HostIdentity, LabReport } from '../core/lab-report.ts';
import { escapeLine } from './html-text.ts';
import type { ClassReport } from './class-report.ts';

// Another lab a lab shares something with that a copied VM keeps.
export interface PossibleCopy {
  lab: string;
  /** What they share that flags them, one phrase each: `vm1 host key ssh-ed25519 SHA256:... (its vm3)`. */
  shared: string[];
  /** Weak evidence they also share (a MAC), shown beside the strong; never a flag on its own. */
  weak?: string[];
}

/**
 * How much a shared value says. `strong`: what a student cannot set to another's value without
 * having that VM (a host key is proven by its private key in the handshake; a machine-id is
 * seen by no one outside the VM; a domain UUID and disk image come from the hypervisor). `weak`:
 * what any guest can set and others can see: a MAC is visible to every VM on a shared
 * management network and can be set on any spare NIC, so a student can frame another with it.
 */
export type IdentityStrength = 'strong' | 'weak';

const WHAT: Array<[keyof HostIdentity, string, IdentityStrength]> = [
  ['hostKey', 'host key', 'strong'],
  ['machineId', 'machine-id', 'strong'],
  ['macs', 'MAC', 'weak'],
  ['domainUuid', 'domain UUID', 'strong'],
  ['diskImages', 'disk image', 'strong'],
];

function valuesOf(identity: HostIdentity, key: keyof HostIdentity): string[] {
  const value = identity[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

// For each lab, the other labs whose VMs share a host key, machine-id, domain UUID or disk image
// with one of its VMs, and what they share (with any MAC they also share, as weak evidence: a
// MAC alone never flags). Only between labs: a lab whose own VMs share a value (one student
// cloning their own VM) is no one else's copy. A flag, never a score.
export function possibleCopies(reports: readonly LabReport[]): Map<string, PossibleCopy[]> {
  const holders = new Map<string, { strength: IdentityStrength; who: Array<{ lab: string; role: string }> }>();
  for (const report of reports) {
    for (const host of report.hosts) {
      if (!host.identity) continue;
      for (const [key, what, strength] of WHAT) {
        for (const value of valuesOf(host.identity, key)) {
          const id = `${what} ${value}`;
          const entry = holders.get(id) ?? { strength, who: [] };
          entry.who.push({ lab: report.lab, role: host.role });
          holders.set(id, entry);
        }
      }
    }
  }
  const copies = new Map<string, Map<string, Record<IdentityStrength, string[]>>>();
  for (const [id, { strength, who }] of holders) {
    for (const a of who) {
      for (const b of who) {
        if (a.lab === b.lab) continue;
        const byLab = copies.get(a.lab) ?? new Map<string, Record<IdentityStrength, string[]>>();
        copies.set(a.lab, byLab);
        const phrase = `${a.role} ${id}${a.role === b.role ? '' : ` (its ${b.role})`}`;
        const shared = byLab.get(b.lab) ?? { strong: [], weak: [] };
        if (!shared[strength].includes(phrase)) shared[strength].push(phrase);
        byLab.set(b.lab, shared);
      }
    }
  }
  // A lab built on a classmate's addressing plan (the plan check says whose): strong, since no two
  // students are given the same plan.
  for (const report of reports) {
    for (const result of report.results) {
      const other = result.reason === 'other-students-plan' ? result.subject?.otherLab ?? result.subject?.otherStudent : undefined;
      if (typeof other !== 'string' || other === report.lab) continue;
      const byLab = copies.get(report.lab) ?? new Map<string, Record<IdentityStrength, string[]>>();
      copies.set(report.lab, byLab);
      const shared = byLab.get(other) ?? { strong: [], weak: [] };
      shared.strong.push(`built on the addressing plan of ${String(result.subject?.otherStudent ?? other)}`);
      byLab.set(other, shared);
    }
  }
  const flagged = new Map<string, PossibleCopy[]>();
  for (const [lab, byLab] of copies) {
    const pairs = [...byLab]
      .filter(([, shared]) => shared.strong.length > 0)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([other, { strong, weak }]) => ({ lab: other, shared: strong, ...(weak.length > 0 ? { weak } : {}) }));
    if (pairs.length > 0) flagged.set(lab, pairs);
  }
  return flagged;
}

const WEAK_LABEL = 'weak, a guest can set it';

// One flagged pair in words: `lab2 (vm1 host key ...; weak, a guest can set it: vm1 MAC ...)`.
function copyPhrases(copy: PossibleCopy): string[] {
  return [...copy.shared, ...(copy.weak ? [`${WEAK_LABEL}: ${copy.weak.join(', ')}`] : [])];
}

// The gradebook's `possible_copy_of` cell: `lab2 (vm1 host key ...; vm1 machine-id ...)`, `|` between labs.
export function possibleCopyCell(copies: readonly PossibleCopy[] | undefined): string {
  return (copies ?? []).map((c) => `${c.lab} (${copyPhrases(c).join('; ')})`).join(' | ');
}

// The class page's section listing the labs that may share a VM; empty when none do.
export function copiesSection(report: ClassReport): string {
  const copies = possibleCopies(report.labs.map((l) => l.report));
  if (copies.size === 0) return '';
  const rows = report.labs
    .filter((lab) => copies.has(lab.lab))
    .map((lab) => `<tr><td class="who">${escapeLine(lab.lab)}</td><td><ul class="reasons">${copies.get(lab.lab)!.map((c) => `<li>${escapeLine(c.lab)}: ${copyPhrases(c).map(escapeLine).join('; ')}</li>`).join('')}</ul></td></tr>`);
  return `<section id="possible-copies">
<h2>Possible copies (${copies.size} labs)</h2>
<p class="note">These labs' VMs share what a copied VM keeps (SSH host key, machine-id, libvirt domain UUID or disk image), or a lab is built on a classmate's addressing plan. A flag to look into, not a grade: scores are unchanged. MAC addresses, which any guest can set and every VM on a shared network can see, are weak evidence: shown beside the rest, never a flag on their own.</p>
<table>
<thead><tr><th>Lab</th><th>Shares with</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}
