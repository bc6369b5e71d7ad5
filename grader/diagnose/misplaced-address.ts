// An internal address typed on the management NIC: the VM's internal NIC has none, and its
// management NIC carries, beside the address the grader reached, one on a network where the
// router has an address. The fix moves it (DHCP on the internal NIC would leave it where it is).
import { sh } from '../core/shell-quote.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import type { NetworkInterface } from '../core/facts.ts';
import { formatSubnet, subnetContains, subnetOf } from '../core/ipv4.ts';
import { ROLE_LABELS } from '../core/roles.ts';
import type { LabView } from './lab-view.ts';
import { describeNic, downness } from './nic-state.ts';
import { persistAddress } from './persistence.ts';

// The management NIC's addresses that are on a router's internal network, not the management's.
function strayAddresses(view: LabView, role: 'vm1' | 'vm3'): Array<{ address: string; prefixLength: number }> {
  const facts = view.facts[role];
  const management = facts?.management;
  const router = view.facts.router;
  if (!facts || !management || !router) return [];
  const reached = management.addresses.find((a) => a.address === facts.reachedAddress) ?? management.addresses[0];
  if (!reached) return [];
  const managementNet = subnetOf(reached.address, reached.prefixLength);
  const routerInternal = router.internal.flatMap((n) => n.addresses.map((a) => a.address));
  return management.addresses.filter((a) => {
    if (a === reached || subnetContains(managementNet, a.address)) return false;
    const net = subnetOf(a.address, a.prefixLength);
    return routerInternal.some((r) => r !== a.address && subnetContains(net, r));
  });
}

/** The diagnosis of `role`'s internal address typed on its management NIC, with `nic` the internal NIC that should carry it. */
export function addressOnManagementNic(view: LabView, role: 'vm1' | 'vm3', nic: NetworkInterface): Diagnosis | undefined {
  const facts = view.facts[role]!;
  const stray = strayAddresses(view, role)[0];
  const management = facts.management;
  if (!stray || !management) return undefined;
  const label = ROLE_LABELS[role];
  const cidr = `${stray.address}/${stray.prefixLength}`;
  const net = subnetOf(stray.address, stray.prefixLength);
  // Routes via a gateway on that network now leave by the management NIC: put them back after the move.
  const routes = facts.routes.filter((r) => r.destination !== 'default' && r.gateway !== undefined && subnetContains(net, r.gateway));
  const down = downness(view, role, nic.name) === 'admin';
  return {
    cause: 'no-internal-address',
    host: role,
    nic: nic.name,
    summary: `${label}'s internal address ${cidr} is on its management NIC ${management.name}, not on its internal NIC ${nic.name} (which has none): move it.`,
    fix: [
      sh`sudo ip addr del ${cidr} dev ${management.name}`,
      sh`sudo ip addr add ${cidr} dev ${nic.name}`,
      ...(down ? [sh`sudo ip link set ${nic.name} up`] : []),
      ...routes.map((r) => sh`sudo ip route replace ${r.destination} via ${r.gateway!}`),
    ],
    persist: `${persistAddress(nic.name, cidr)} Remove ${cidr} from ${management.name}'s configuration in the same file.`,
    evidence: [
      `${management.name} (management): ${management.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(' ')}`,
      describeNic(view, role, nic.name),
      `the router has an address on ${formatSubnet(net)}`,
    ],
    results: [],
  };
}
