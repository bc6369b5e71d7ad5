import { parseDiscovery, DISCOVERY_COMMAND } from '../lab/discovery.ts';
import type { HostState } from '../lab/lab-access.ts';
import { ROLES, type Role } from '../lab/roles.ts';
import type { LabTarget } from '../config/inventory.ts';
import type { Credentials } from '../transport/credentials.ts';
import type { HostKeyPolicy, KnownHosts } from '../transport/known-hosts.ts';
import { connectHost, connectJump, type JumpHost, type SshEndpoint } from '../transport/ssh-host.ts';
import type { RemoteHost } from '../transport/remote-host.ts';

export interface ConnectOptions {
  credentials: Credentials;
  knownHosts: KnownHosts;
  hostKeyPolicy: HostKeyPolicy;
  readyTimeoutMs?: number;
}

export function describeEndpoint(e: SshEndpoint): string {
  return `${e.user}@${e.host}${e.port === 22 ? '' : `:${e.port}`}`;
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
    return { role, target, problem: reason(error) };
  }
  try {
    const result = await remote.run(DISCOVERY_COMMAND);
    if (result.timedOut || result.truncated) throw new Error(result.timedOut ? 'the command timed out' : 'its output was too large');
    return { role, target, remote, facts: parseDiscovery(role, result, endpoint.host) };
  } catch (error) {
    await remote.close();
    return { role, target, problem: `could not discover its NICs and routes: ${reason(error)}` };
  }
}

// Connects to the three VMs at once (through the jump host when there is one) and discovers each.
// Never throws: a VM that cannot be reached or read is recorded with the reason.
export async function connectLab(lab: LabTarget, options: ConnectOptions): Promise<{ hosts: Map<Role, HostState>; close(): Promise<void> }> {
  let jump: JumpHost | undefined;
  let jumpProblem: string | undefined;
  if (lab.jump) {
    try {
      jump = await connectJump({ role: 'jump', endpoint: lab.jump, ...options });
    } catch (error) {
      jumpProblem = `the jump host ${describeEndpoint(lab.jump)} could not be reached: ${reason(error)}`;
    }
  }
  const states = await Promise.all(
    ROLES.map((role): Promise<HostState> =>
      jumpProblem ? Promise.resolve({ role, target: describeEndpoint(lab.vms[role]), problem: jumpProblem }) : connectAndDiscover(role, lab.vms[role], options, jump),
    ),
  );
  const hosts = new Map(states.map((s) => [s.role, s]));
  return {
    hosts,
    async close() {
      await Promise.all(states.map((s) => ('remote' in s ? s.remote.close() : undefined)));
      await jump?.close();
    },
  };
}
