// unreachable-vm: the grader could not log in; what needs that VM could not be graded nor diagnosed.
// login-refused: it reached the VM's SSH server, which refused the user or the key offered.
import { sh } from '../core/shell-quote.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { resultName } from '../core/diagnosis.ts';
import { ROLE_LABELS, ROLES, type Role } from '../core/roles.ts';
import type { LoginRefusal } from '../transport/remote-host.ts';
import type { LabView } from './lab-view.ts';
import type { CheckResult } from '../core/result.ts';

const CANNOT_SEE: Record<(typeof ROLES)[number], string> = {
  vm1: "VM1's NICs and routes",
  router: "the router's NICs, forwarding and firewall",
  vm3: "VM3's NICs and route back",
};

// The ways to log in otherwise that the grader reads (docs/inventory.md): a comment line, typed as printed.
const OTHER_LOGIN =
  '# name the key the VM accepts: GRADER_SSH_KEY=FILE (environment or .env), credentials: { keyFile: FILE } under the lab or the VM in the inventory, ' +
  'or that key in an ssh-agent (SSH_AUTH_SOCK); another user: user: under the VM in the inventory (--user with --hypervisor)';

// login-refused: the VM's SSH server answered and refused the login; nothing of the VM was seen.
function loginRefused(role: Role, refused: LoginRefusal, why: { target: string; problem: string }, results: string[]): Diagnosis {
  const label = ROLE_LABELS[role];
  const login = `${refused.user}@${refused.host}`;
  return {
    cause: 'login-refused',
    host: role,
    summary: `${label}'s SSH server (${why.target}) answered but refused the login of user ${refused.user}; the grader offered ${refused.offered}. Until it can log in, ${CANNOT_SEE[role]} cannot be checked or diagnosed.`,
    fix: [
      `${sh`ssh -o BatchMode=yes -p ${refused.port} ${login} true`}   # on the grader's machine (add -i and the key file offered above if it is not your default key): "Permission denied" again means ${label} does not accept that key for ${refused.user}`,
      OTHER_LOGIN,
      `# or authorise the key on ${label}: append the key's .pub line to ~${refused.user}/.ssh/authorized_keys (on its console in virt-manager)`,
    ],
    evidence: [`${label} (${why.target}): ${why.problem}`],
    results,
  };
}

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
    if (why.refused) return [loginRefused(role, why.refused, why, results)];
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
