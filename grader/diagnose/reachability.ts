// unreachable-vm: the grader could not log in; what needs that VM could not be graded nor diagnosed.
import { sh } from '../core/shell-quote.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { resultName } from '../core/diagnosis.ts';
import { ROLE_LABELS, ROLES } from '../core/roles.ts';
import type { LabView } from './lab-view.ts';
import type { CheckResult } from '../core/result.ts';

const CANNOT_SEE: Record<(typeof ROLES)[number], string> = {
  vm1: "VM1's NICs and routes",
  router: "the router's NICs, forwarding and firewall",
  vm3: "VM3's NICs and route back",
};

export function unreachableVms(view: LabView): Diagnosis[] {
  return ROLES.flatMap((role): Diagnosis[] => {
    const why = view.unreachable[role];
    if (!why) return [];
    const label = ROLE_LABELS[role];
    const mention = `${label} (${why.target})`;
    // Its own results, those that needed its facts, and those whose witness on it could not be asked.
    const needed = (r: CheckResult) =>
      r.host === role || (r.reason === 'vm-unreachable' && r.subject?.host === role) || (r.reason === 'unconfirmed' && (r.witnesses ?? []).some((w) => w.unreachable === role && w.agrees === undefined));
    const results = view.results.filter((r) => r.status === 'error' && needed(r)).map(resultName);
    const domain = view.hypervisor?.domains[role]?.domain;
    return [
      {
        cause: 'unreachable-vm',
        host: role,
        summary: `The grader could not log in to ${label} (${why.target}): is it running, and is its SSH server up? Until it can, ${CANNOT_SEE[role]} cannot be checked or diagnosed.`,
        fix: [
          domain ? `${sh`virsh domstate ${domain}`}   # on the hypervisor; if it is shut off: ${sh`virsh start ${domain}`}` : 'virsh list --all   # on the hypervisor: is the VM running? If not: virsh start DOMAIN',
          `sudo systemctl start ssh   # on ${label}'s console in virt-manager`,
          `ip -4 addr show   # on ${label}'s console: is ${why.target.replace(/^.*@/, '').replace(/:\d+$/, '')} still its address?`,
        ],
        evidence: [`${mention}: ${why.problem}`],
        results,
      },
    ];
  });
}
