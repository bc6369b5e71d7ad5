import { parseDiscovery, DISCOVERY_COMMAND } from '../lab/discovery.ts';
import type { HostState } from '../lab/lab-access.ts';
import type { LabDiscovery } from '../core/lab-report.ts';
import { shapeOfServer } from '../hypervisor/lab-shape.ts';
import { listDomains } from '../hypervisor/list-domains.ts';
import { LOAD_COMMAND, parseLoad, type MachineLoad } from '../parse/loadavg.ts';
import { ROLES, type Role } from '../core/roles.ts';
import type { LabTarget } from '../transport/targets.ts';
import { openHypervisor, type Hypervisor } from '../hypervisor/hypervisor.ts';
import type { HypervisorFacts } from '../hypervisor/hypervisor-facts.ts';
import { inspectHypervisor } from '../hypervisor/inspect.ts';
import type { CredentialsFor } from '../config/lab-credentials.ts';
import { hostNicCounters, type HostNicCounters } from '../hypervisor/nic-counters.ts';
import type { Credentials } from '../transport/credentials.ts';
import type { HostKeyPolicy, KnownHosts } from '../transport/known-hosts.ts';
import { connectHost, connectJump, type JumpHost, type SshEndpoint } from '../transport/ssh-host.ts';
import { HostUnavailableError, type RemoteHost } from '../transport/remote-host.ts';

export interface ConnectOptions {
  /** The credentials of every host, unless credentialsFor says otherwise. */
  credentials: Credentials;
  /** Per-lab and per-VM credentials (the inventory's `credentials`). */
  credentialsFor?: CredentialsFor;
  knownHosts: KnownHosts;
  hostKeyPolicy: HostKeyPolicy;
  readyTimeoutMs?: number;
}

export interface ConnectedLab {
  hosts: Map<Role, HostState>;
  hypervisor?: HypervisorFacts;
  /** The hypervisor's counters of the domains' NICs, while the lab is connected. */
  hostCounters?: HostNicCounters;
  /** How the lab's domains were found on its hypervisor, when from the topology. */
  discovery?: LabDiscovery;
  /** The hypervisor's load now, when there is one and it tells. */
  hypervisorLoad?: () => Promise<MachineLoad | undefined>;
  close(): Promise<void>;
}

async function loadOf(hypervisor: Hypervisor): Promise<MachineLoad | undefined> {
  try {
    const result = await hypervisor.run(LOAD_COMMAND, { timeoutMs: 5000 });
    return result.exitCode === 0 ? parseLoad(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}

export function describeEndpoint(e: Pick<SshEndpoint, 'user' | 'port'> & { host?: string }): string {
  return `${e.user}@${e.host ?? '?'}${e.port === 22 ? '' : `:${e.port}`}`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function connectAndDiscover(role: Role, endpoint: SshEndpoint, options: ConnectOptions, via?: JumpHost): Promise<HostState> {
  const target = describeEndpoint(endpoint);
  let remote: RemoteHost;
  try {
    remote = await connectHost({ role, endpoint, via, ...options });
  } catch (error) {
    return notConnected(role, target, endpoint, error);
  }
  return discoverHost(role, target, remote, endpoint.host);
}

/** A VM the grader could not log in to, and, when its SSH server refused the login, as whom and with what. */
export function notConnected(role: Role, target: string, endpoint: SshEndpoint, error: unknown): HostState {
  const refused = error instanceof HostUnavailableError && error.failure === 'auth' && error.offered !== undefined;
  return { role, target, problem: reason(error), ...(refused ? { refused: { user: endpoint.user, host: endpoint.host, port: endpoint.port, offered: error.offered! } } : {}) };
}

// Discovers a connected VM once: its NICs, addresses and routes (`reached`: the address the
// grader connected to). When that fails, the connection is closed and the reason recorded.
export async function discoverHost(role: Role, target: string, remote: RemoteHost, reached: string): Promise<HostState> {
  try {
    const result = await remote.run(DISCOVERY_COMMAND);
    if (result.timedOut || result.truncated) throw new Error(result.timedOut ? 'the command timed out' : 'its output was too large');
    return { role, target, remote, facts: parseDiscovery(role, result, reached) };
  } catch (error) {
    await remote.close();
    return { role, target, problem: `could not discover its NICs and routes: ${reason(error)}` };
  }
}

// The hosts on the way: the jump host and the hypervisor (which leads to the VMs when remote).
// Never throws: what cannot be reached is returned as the problem every VM will carry.
async function openWay(lab: LabTarget, options: ConnectOptions) {
  let jump: JumpHost | undefined;
  let hypervisor: Hypervisor | undefined;
  try {
    if (lab.jump) jump = await connectJump({ role: 'jump', endpoint: lab.jump, ...options });
  } catch (error) {
    return { problem: `the jump host ${describeEndpoint(lab.jump!)} could not be reached: ${reason(error)}` };
  }
  try {
    if (lab.hypervisor) hypervisor = await openHypervisor(lab.hypervisor, options, jump);
  } catch (error) {
    await jump?.close();
    return { problem: `the hypervisor ${describeEndpoint(lab.hypervisor!.endpoint!)} could not be reached: ${reason(error)}` };
  }
  return { jump, hypervisor };
}

// An inventory lab without `domains:`: its domains found from the hypervisor's topology, the only
// lab there or the one of the same name.
async function domainsOnHypervisor(lab: LabTarget, hypervisor: Hypervisor): Promise<{ lab: LabTarget } | { problem: string }> {
  let shape;
  try {
    shape = shapeOfServer(hypervisor.target, await listDomains(hypervisor));
  } catch (error) {
    return { problem: `could not list the domains on the hypervisor ${hypervisor.target}: ${reason(error)}` };
  }
  const chosen = shape.labs.length === 1 ? shape.labs[0] : shape.labs.find((l) => l.name === lab.name);
  if (!chosen) {
    const names = shape.labs.map((l) => l.name).join(', ') || 'none';
    return { problem: `the hypervisor ${hypervisor.target} has ${shape.labs.length} labs (${names}), none called ${lab.name}: name this lab's domains under domains: in the inventory` };
  }
  const vms = Object.fromEntries(
    ROLES.map((role) => {
      const domain = chosen.domains[role];
      const absent = `no domain on ${hypervisor.target} plays ${role}: ${chosen.discovery.problems.join('; ') || 'no domain fits'}`;
      return [role, { ...lab.vms[role], domain: domain ?? '', ...(domain ? {} : { absent }) }];
    }),
  ) as LabTarget['vms'];
  return { lab: { ...lab, vms, discovery: chosen.discovery } };
}

// Connects to the three VMs at once (finding their addresses on the hypervisor when the inventory
// names one, going through the jump host or the hypervisor when there is one) and discovers each.
// Never throws: a VM that cannot be reached or read is recorded with the reason.
export async function connectLab(lab: LabTarget, connectOptions: ConnectOptions): Promise<ConnectedLab> {
  const optionsFor = (role: Role | 'way'): ConnectOptions => ({ ...connectOptions, credentials: connectOptions.credentialsFor?.(lab, role) ?? connectOptions.credentials });
  const way = await openWay(lab, optionsFor('way'));
  const unreachable = (role: Role, problem: string): HostState => ({ role, target: describeEndpoint(lab.vms[role]), problem });
  if ('problem' in way) return { hosts: new Map(ROLES.map((role) => [role, unreachable(role, way.problem!)])), close: async () => undefined };

  const { jump, hypervisor } = way;
  if (hypervisor && lab.findDomains) {
    const found = await domainsOnHypervisor(lab, hypervisor);
    if ('problem' in found) {
      await hypervisor.close();
      await jump?.close();
      return { hosts: new Map(ROLES.map((role) => [role, unreachable(role, found.problem)])), close: async () => undefined };
    }
    lab = found.lab;
  }
  const present = Object.fromEntries(ROLES.filter((role) => !lab.vms[role].absent).map((role) => [role, lab.vms[role].domain]));
  const facts = hypervisor ? await inspectHypervisor(hypervisor, present) : undefined;
  const states = await Promise.all(
    ROLES.map((role): Promise<HostState> => {
      const vm = lab.vms[role];
      if (vm.absent) return Promise.resolve(unreachable(role, vm.absent));
      const host = vm.host ?? facts?.domains[role]?.managementAddress;
      if (!host) {
        const why = facts?.problems[role] ?? `the hypervisor has no address for domain '${vm.domain}' (no DHCP lease or ARP entry: is it running?)`;
        return Promise.resolve(unreachable(role, why));
      }
      return connectAndDiscover(role, { host, port: vm.port, user: vm.user }, optionsFor(role), hypervisor?.via ?? jump);
    }),
  );
  return {
    hosts: new Map(states.map((s) => [s.role, s])),
    ...(facts ? { hypervisor: facts } : {}),
    ...(hypervisor ? { hostCounters: hostNicCounters(hypervisor) } : {}),
    ...(lab.discovery ? { discovery: lab.discovery } : {}),
    ...(hypervisor ? { hypervisorLoad: () => loadOf(hypervisor) } : {}),
    async close() {
      await Promise.all(states.map((s) => ('remote' in s ? s.remote.close() : undefined)));
      await jump?.close();
      await hypervisor?.close();
    },
  };
}
