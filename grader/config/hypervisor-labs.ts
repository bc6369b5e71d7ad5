import { ROLES, ROLE_LABELS } from '../core/roles.ts';
import { openHypervisor, type Hypervisor } from '../hypervisor/hypervisor.ts';
import { shapeOfServer, type FoundLab, type ServerShape } from '../hypervisor/lab-shape.ts';
import { listDomains } from '../hypervisor/list-domains.ts';
import { connectJump, type ConnectOptions, type JumpHost, type SshEndpoint } from '../transport/ssh-host.ts';
import type { HypervisorTarget, LabTarget, VmTarget } from '../transport/targets.ts';
import { ConfigError } from './config-error.ts';
import { DEFAULT_LIBVIRT_URI } from './inventory.ts';

// `local`, or `[user@]host[:port]` (the user defaults to `user`).
export function parseHypervisorOption(text: string, user: string): HypervisorTarget {
  if (text === 'local') return { uri: DEFAULT_LIBVIRT_URI };
  return { endpoint: parseEndpointOption('--hypervisor', text, user), uri: DEFAULT_LIBVIRT_URI };
}

export function parseEndpointOption(flag: string, text: string, user: string): SshEndpoint {
  const match = /^(?:([^@\s]+)@)?([A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(text);
  const port = Number(match?.[3] ?? 22);
  if (!match || port < 1 || port > 65535) throw new ConfigError([`${flag} must be ${flag === '--hypervisor' ? "'local' or " : ''}[user@]host[:port] (got '${text}')`]);
  return { user: match[1] ?? user, host: match[2]!.replace(/^\[|\]$/g, ''), port };
}

// A found lab as the grader reaches it: its domains on that hypervisor, a role no domain fits
// absent with the reason (its checks become errors, the rest is graded).
export function labTargetOf(found: FoundLab, hypervisor: HypervisorTarget, user: string, jump?: SshEndpoint): LabTarget {
  const why = found.discovery.problems.join('; ') || 'no domain fits';
  const vms = Object.fromEntries(
    ROLES.map((role): [string, VmTarget] => {
      const domain = found.domains[role];
      return [role, { port: 22, user, domain: domain ?? '', ...(domain ? {} : { absent: `no domain on ${found.discovery.hypervisor} plays ${ROLE_LABELS[role]}: ${why}` }) }];
    }),
  ) as LabTarget['vms'];
  return { name: found.name, vms, hypervisor, discovery: found.discovery, ...(jump ? { jump } : {}) };
}

interface LabsOnHypervisor extends ServerShape {
  hypervisor: string;
  targets: Map<string, LabTarget>;
}

// Lists the hypervisor's domains and finds the labs among them. An unreachable hypervisor or one
// that virsh cannot list is a usage error: nothing can be graded there.
export async function findLabsOnHypervisor(target: HypervisorTarget, options: Omit<ConnectOptions, 'endpoint'> & { user: string; jump?: SshEndpoint }): Promise<LabsOnHypervisor> {
  let jump: JumpHost | undefined;
  let hypervisor: Hypervisor | undefined;
  const where = target.endpoint ? `${target.endpoint.user}@${target.endpoint.host}` : 'this machine';
  try {
    if (options.jump) jump = await connectJump({ ...options, endpoint: options.jump });
    hypervisor = await openHypervisor(target, options, jump);
    const shape = shapeOfServer(hypervisor.target, await listDomains(hypervisor));
    const targets = new Map(shape.labs.map((lab) => [lab.name, labTargetOf(lab, target, options.user, options.jump)]));
    return { ...shape, hypervisor: hypervisor.target, targets };
  } catch (error) {
    throw new ConfigError([`could not list the labs on ${where}: ${error instanceof Error ? error.message : String(error)}`]);
  } finally {
    await hypervisor?.close();
    await jump?.close();
  }
}
