// What a lab hands the grader: inventory.yaml, known_hosts and .env, as texts (pure). Every lab
// provider writes these three files with these functions.
import { VM_ROLES, type VmRole } from './roles.ts';

/** How the grader logs in to a lab's VMs: the account, and the lab's own key if it has one (its
 *  absolute path, so that a copy of the inventory elsewhere still finds it, whatever
 *  GRADER_SSH_KEY says in a `.env` or the environment). Without a key, the `.env` beside the
 *  inventory holds the password, as a student's own lab would. */
export interface InventoryLogin {
  user: string;
  keyFile?: string;
}

/**
 * Which provider built the lab, in which claim of its slot: the grader refuses the inventory once
 * the slot's `generation` file says otherwise (the lab is gone, the slot maybe another lab's).
 */
export interface LabOrigin {
  provider: 'netns' | 'libvirt';
  claim: string;
  generation: string;
}

/** The inventory of one lab whose VMs are reached at their management addresses. */
export function inventoryText(name: string, comments: string[], management: Record<VmRole, string>, login: InventoryLogin, origin?: LabOrigin): string {
  return [
    ...comments.map((c) => `# ${c}`),
    'defaults:',
    `  user: ${login.user}`,
    '  port: 22',
    'labs:',
    `  ${name}:`,
    ...(origin ? [`    origin: { provider: ${origin.provider}, claim: ${JSON.stringify(origin.claim)}, generation: ${JSON.stringify(origin.generation)} }`] : []),
    ...(login.keyFile ? [`    credentials: { keyFile: ${JSON.stringify(login.keyFile)} }`] : []),
    `    vm1:    { address: ${management.vm1} }`,
    `    router: { address: ${management.router} }`,
    `    vm3:    { address: ${management.vm3} }`,
    '',
  ].join('\n');
}

/** OpenSSH known_hosts lines (port 22, so the bare address) for the three VMs' host keys. */
export function knownHostsText(management: Record<VmRole, string>, hostKeys: Record<VmRole, string>): string {
  return VM_ROLES.map((role) => `${management[role]} ${hostKeys[role]}\n`).join('');
}

function envValue(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `"${value.replace(/(["\\$])/g, '\\$1')}"`;
}

/** The `.env` beside the inventory; the grader loads it from the inventory's directory. */
export function graderEnv(paths: { privateKey?: string; knownHosts: string }): string {
  return [...(paths.privateKey ? [`GRADER_SSH_KEY=${envValue(paths.privateKey)}`] : []), `GRADER_KNOWN_HOSTS=${envValue(paths.knownHosts)}`, ''].join('\n');
}

/** A `.env` for password logins (the password is never in a committed file, report or log). */
export function graderPasswordEnv(password: string, knownHosts: string): string {
  return [`GRADER_SSH_PASSWORD=${envValue(password)}`, `GRADER_KNOWN_HOSTS=${envValue(knownHosts)}`, ''].join('\n');
}
