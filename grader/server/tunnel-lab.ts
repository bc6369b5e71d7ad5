import type { Duplex } from 'node:stream';
import type { Connection } from 'ssh2';
import { ROLES, type Role } from '../core/roles.ts';
import type { Hypervisor } from '../hypervisor/hypervisor.ts';
import { inspectHypervisor } from '../hypervisor/inspect.ts';
import { hostNicCounters } from '../hypervisor/nic-counters.ts';
import type { HostState } from '../lab/lab-access.ts';
import { describeEndpoint, discoverHost, notConnected, type ConnectedLab, type ConnectOptions } from '../run/connect-lab.ts';
import { connectHost, formatTarget, type JumpHost } from '../transport/ssh-host.ts';
import type { LabTarget } from '../transport/targets.ts';
import { vmAddressKey } from './submit-request.ts';

// The way to a student's VMs: their own SSH connection to the course server, which asked for
// remote forwarding of each VM's address and port. Each stream the grader opens to a VM is a
// forwarded-tcpip channel back to the student's client, which connects it to that VM and to
// nothing else. The grader's own ssh2 client runs inside it, with the course's key: the student's
// machine relays bytes it cannot read.
export function tunnelJump(connection: Connection, forwarded: ReadonlySet<string>, target: string): JumpHost {
  const refuse = () => Promise.reject(new Error('the student tunnel runs no commands'));
  return {
    role: 'jump',
    target,
    run: refuse,
    runWitness: refuse,
    close: async () => undefined,
    tunnel: (_role, host, port, timeoutMs) =>
      new Promise<Duplex>((resolve, reject) => {
        if (!forwarded.has(vmAddressKey(host, port))) {
          reject(new Error(`${formatTarget(host, port)} was not announced by the student's client`));
          return;
        }
        const timer = setTimeout(() => reject(new Error(`the student's client did not open ${formatTarget(host, port)} within ${timeoutMs} ms`)), timeoutMs);
        connection.forwardOut(host, port, '0.0.0.0', 0, (error, channel) => {
          clearTimeout(timer);
          if (error) reject(new Error(`the student's client could not reach ${formatTarget(host, port)}: ${error.message}`));
          else resolve(channel);
        });
      }),
  };
}

// Connects to the lab's three VMs through the tunnel and discovers each, as connectLab does for a
// lab reached directly; with the student's machine as `hypervisor` (relayed virsh queries), reads
// its domains and counters as connectLab reads a hypervisor's. Never throws: a VM that cannot be
// reached is recorded with the reason.
export function connectThroughTunnel(via: JumpHost, options: ConnectOptions, hypervisor?: Hypervisor) {
  return async (lab: LabTarget): Promise<ConnectedLab> => {
    const states = await Promise.all(
      ROLES.map(async (role: Role): Promise<HostState> => {
        const vm = lab.vms[role];
        const endpoint = { host: vm.host!, port: vm.port, user: vm.user };
        const target = describeEndpoint(endpoint);
        try {
          const remote = await connectHost({ role, endpoint, via, ...options });
          return await discoverHost(role, target, remote, endpoint.host);
        } catch (error) {
          return notConnected(role, target, endpoint, error);
        }
      }),
    );
    const domains = Object.fromEntries(ROLES.filter((role) => lab.vms[role].domain).map((role) => [role, lab.vms[role].domain]));
    const facts = hypervisor ? await inspectHypervisor(hypervisor, domains) : undefined;
    return {
      hosts: new Map(states.map((s) => [s.role, s])),
      ...(hypervisor && facts ? { hypervisor: facts, hostCounters: hostNicCounters(hypervisor) } : {}),
      async close() {
        await Promise.all(states.map((s) => ('remote' in s ? s.remote.close() : undefined)));
      },
    };
  };
}
