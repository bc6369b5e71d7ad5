import type { Evidence } from '../core/result.ts';
import type { NetworkInterface, Route } from '../core/facts.ts';
import type { Role } from '../core/roles.ts';

// What discovery established about one VM, once, for every check to share.
export interface HostFacts {
  role: Role;
  /** The VM's own address of the SSH connection (from $SSH_CONNECTION), when known. */
  reachedAddress?: string;
  interfaces: NetworkInterface[];
  routes: Route[];
  /** The NIC carrying the address the grader reached. */
  management?: NetworkInterface;
  /** Every other NIC with an IPv4 address (loopback aside). */
  internal: NetworkInterface[];
  /** /etc/machine-id, when the VM has one. */
  machineId?: string;
  evidence: Evidence[];
}

// The management NIC is the one carrying the reached address; failing that (no $SSH_CONNECTION),
// the one the default route leaves by. Every other NIC with an IPv4 address is internal.
export function classifyInterfaces(
  interfaces: NetworkInterface[],
  routes: Route[],
  reachedAddress: string | undefined,
): { management?: NetworkInterface; internal: NetworkInterface[] } {
  const withAddress = interfaces.filter((nic) => nic.name !== 'lo' && nic.addresses.some((a) => !a.address.startsWith('127.')));
  const byAddress = reachedAddress ? withAddress.find((nic) => nic.addresses.some((a) => a.address === reachedAddress)) : undefined;
  const defaultDevice = routes.find((r) => r.destination === 'default')?.device;
  const management = byAddress ?? (reachedAddress ? undefined : withAddress.find((nic) => nic.name === defaultDevice));
  return { management, internal: withAddress.filter((nic) => nic !== management) };
}

// One line per NIC, e.g. `enp7s0 UP 10.10.1.2/24 (internal)`, for evidence.
export function describeInterfaces(facts: Pick<HostFacts, 'interfaces' | 'management' | 'internal'>): string {
  return facts.interfaces
    .filter((nic) => nic.name !== 'lo')
    .map((nic) => {
      const role = nic === facts.management ? ' (management)' : facts.internal.includes(nic) ? ' (internal)' : '';
      const addresses = nic.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(' ') || 'no IPv4 address';
      return `${nic.name} ${nic.state ?? ''} ${addresses}${role}`.replace(/ +/g, ' ');
    })
    .join('\n');
}
