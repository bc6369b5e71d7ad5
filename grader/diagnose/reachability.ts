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

/** A VM whose SSH server refused the grader's login, and the results that needed it. */
interface Refusal {
  role: Role;
  refused: LoginRefusal;
  why: { target: string; problem: string };
  results: string[];
}

function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

// login-refused: the VMs' SSH servers answered and refused the login; nothing of them was seen.
// VMs that refused the same user offered the same credentials are one diagnosis (one fix: name
// the key they accept), on the lab when there are several.
function loginRefused(group: Refusal[]): Diagnosis {
  const [first] = group as [Refusal, ...Refusal[]];
  const { user, offered, port, host } = first.refused;
  const labels = group.map((r) => ROLE_LABELS[r.role]);
  const servers = group.length === 1 ? `${labels[0]}'s SSH server (${first.why.target})` : `The SSH servers of ${listed(group.map((r) => `${ROLE_LABELS[r.role]} (${r.why.target})`))}`;
  const others = group.slice(1).map((r) => `${r.refused.user}@${r.refused.host}`);
  return {
    cause: 'login-refused',
    host: group.length === 1 ? first.role : 'lab',
    summary: `${servers} answered but refused the login of user ${user}; the grader offered ${offered}. Until it can log in, ${listed(group.map((r) => CANNOT_SEE[r.role]))} cannot be checked or diagnosed.`,
    fix: [
      `${sh`ssh -o BatchMode=yes -p ${port} ${`${user}@${host}`} true`}   # on the grader's machine (add -i and the key file offered above if it is not your default key): "Permission denied" again means ${labels[0]} does not accept that key for ${user}${others.length ? ` (the same test for ${listed(others)})` : ''}`,
      OTHER_LOGIN,
      `# or authorise the key on ${listed(labels)}: append the key's .pub line to ~${user}/.ssh/authorized_keys (on ${group.length === 1 ? 'its console' : 'each console'} in virt-manager)`,
    ],
    evidence: group.map((r) => `${ROLE_LABELS[r.role]} (${r.why.target}): ${r.why.problem}`),
    results: group.flatMap((r) => r.results),
  };
}

function refusalGroups(refusals: Refusal[]): Refusal[][] {
  const groups = new Map<string, Refusal[]>();
  for (const r of refusals) {
    const key = `${r.refused.user}\n${r.refused.offered}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

// unreachable-vm: no SSH server answered, or the connection failed before a login was refused.
function vmDown(view: LabView, role: Role, why: { target: string; problem: string }, results: string[]): Diagnosis {
  const label = ROLE_LABELS[role];
  const domain = view.hypervisor?.domains[role]?.domain;
  return {
    cause: 'unreachable-vm',
    host: role,
    summary: `The grader could not log in to ${label} (${why.target}): is it running, and is its SSH server up? Until it can, ${CANNOT_SEE[role]} cannot be checked or diagnosed.`,
    fix: [
      domain ? `${sh`virsh domstate ${domain}`}   # on the hypervisor; if it is shut off: ${sh`virsh start ${domain}`}` : 'virsh list --all   # on the hypervisor: is the VM running? If not: virsh start DOMAIN',
      `sudo systemctl start ssh   # on ${label}'s console in virt-manager`,
      `ip -4 addr show   # on ${label}'s console: is ${why.target.replace(/^.*@/, '').replace(/:\d+$/, '')} still its address?`,
    ],
    evidence: [`${label} (${why.target}): ${why.problem}`],
    results,
  };
}

export function unreachableVms(view: LabView): Diagnosis[] {
  const down: { role: Role; diagnosis: Diagnosis }[] = [];
  const refusals: Refusal[] = [];
  for (const role of ROLES) {
    const why = view.unreachable[role];
    if (!why) continue;
    // Its own results, those that needed its facts, and those whose witness on it could not be asked.
    const needed = (r: CheckResult) =>
      r.host === role || (r.reason === 'vm-unreachable' && r.subject?.host === role) || (r.reason === 'unconfirmed' && (r.witnesses ?? []).some((w) => w.unreachable === role && w.agrees === undefined));
    const results = view.results.filter((r) => r.status === 'error' && needed(r)).map(resultName);
    if (why.refused) refusals.push({ role, refused: why.refused, why, results });
    else down.push({ role, diagnosis: vmDown(view, role, why, results) });
  }
  // In the order of the VMs, a group where its first VM is.
  const refused = refusalGroups(refusals).map((group) => ({ role: group[0]!.role, diagnosis: loginRefused(group) }));
  return [...down, ...refused].sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role)).map((o) => o.diagnosis);
}
