// addresses-swapped: the router's two internal addresses are each on the NIC of the other
// network's link. Addresses alone look right (the router is on both networks); the MACs say which
// NIC is on which link: the MAC VM1 resolved the router's address to (its neighbour table), and
// the NIC on which the router saw VM1's own MAC.
import { sh } from '../core/shell-quote.ts';
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import { ROLE_LABELS } from '../core/roles.ts';
import type { Endpoint } from '../lab/topology.ts';
import type { LabView } from './lab-view.ts';
import { isTraffic } from './lab-view.ts';
import { persistAddress } from './persistence.ts';

interface LinkEvidence {
  /** The router NIC on this VM's link. */
  nic: string;
  evidence: string[];
}

// Which router NIC is on the link of `role`'s internal NIC, by the MACs each side saw.
function routerNicOnLink(view: LabView, role: 'vm1' | 'vm3', own: Endpoint | undefined, routerEnd: Endpoint | undefined): LinkEvidence | undefined {
  const router = view.facts.router;
  if (!router || !own || !routerEnd) return undefined;
  const label = ROLE_LABELS[role];
  const nicOfMac = (mac: string) => router.internal.find((n) => n.mac?.toLowerCase() === mac.toLowerCase())?.name;
  const resolved = view.observed[role]?.neighbours.find((n) => n.address === routerEnd.address && n.mac !== undefined && n.device === own.interface);
  const byVm = resolved?.mac ? nicOfMac(resolved.mac) : undefined;
  const vmMac = view.facts[role]?.interfaces.find((n) => n.name === own.interface)?.mac?.toLowerCase();
  const seen = vmMac ? view.observed.router?.neighbours.find((n) => n.mac?.toLowerCase() === vmMac && n.device !== undefined) : undefined;
  const byRouter = seen?.device;
  const nic = byVm ?? byRouter;
  // Both sides, when both saw something, must agree.
  if (!nic || (byVm && byRouter && byVm !== byRouter)) return undefined;
  return {
    nic,
    evidence: [
      ...(byVm ? [`${label}'s neighbour table: ${routerEnd.address} at ${resolved!.mac}, the MAC of the router's ${byVm}`] : []),
      ...(byRouter ? [`the router's neighbour table: ${label}'s ${own.address} (${vmMac}) on ${byRouter}`] : []),
    ],
  };
}

export function swappedAddresses(view: LabView): Diagnosis[] {
  const r1 = view.routerOnVm1;
  const r3 = view.routerOnVm3;
  const router = view.facts.router;
  if (!router || !r1 || !r3 || r1.interface === r3.interface) return [];
  const onVm1Link = routerNicOnLink(view, 'vm1', view.vm1, r1);
  const onVm3Link = routerNicOnLink(view, 'vm3', view.vm3, r3);
  // VM1's link reaches the NIC with VM3's network's address; VM3's, when seen, the other.
  const vm1Side = onVm1Link?.nic === r3.interface;
  const vm3Side = onVm3Link?.nic === r1.interface;
  const twoInternal = router.internal.length === 2;
  if (!((vm1Side && (vm3Side || (!onVm3Link && twoInternal))) || (vm3Side && !onVm1Link && twoInternal))) return [];
  const cidr = (e: Endpoint) => `${e.address}/${e.prefixLength}`;
  return [
    {
      cause: 'addresses-swapped',
      host: 'router',
      nic: r3.interface,
      summary:
        `The router's internal addresses are on the wrong NICs: ${r3.interface}, on VM1's network, has ${r3.address} (VM3's network's address), ` +
        `and ${r1.interface}, on VM3's network, has ${r1.address}: the router sends the packets for VM3 out of ${r3.interface}, onto VM1's network, where VM3 is not.`,
      fix: [
        sh`sudo ip addr del ${cidr(r1)} dev ${r1.interface}`,
        sh`sudo ip addr del ${cidr(r3)} dev ${r3.interface}`,
        sh`sudo ip addr add ${cidr(r1)} dev ${r3.interface}`,
        sh`sudo ip addr add ${cidr(r3)} dev ${r1.interface}`,
      ],
      persist: `${persistAddress(r3.interface, cidr(r1))} Likewise ${cidr(r3)} under ${r1.interface}.`,
      evidence: [
        `the router's ${r3.interface} has ${cidr(r3)}, its ${r1.interface} has ${cidr(r1)}`,
        ...(onVm1Link?.evidence ?? []),
        ...(onVm3Link?.evidence ?? []),
      ],
      results: view.results.filter((r) => isTraffic(r) && r.status !== 'pass').map(resultName),
    },
  ];
}
