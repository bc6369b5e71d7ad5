// The causes the diagnosis must name on every reference-lab variant (cause, host, and the NIC by
// the network it is on, since NIC names depend on the lab's slot), in the order to fix them. The
// not-virtio diagnosis of every VM the grader reached is asserted apart: namespaces have veths.
import type { Diagnosis } from '../../grader/core/diagnosis.ts';
import type { Variant } from '../../reference-lab/api.ts';

/** A NIC named by its VM and network: `router/internal2`. */
export type NicRef = `${'vm1' | 'router' | 'vm3'}/${'management' | 'internal1' | 'internal2'}`;

export interface ExpectedDiagnosis {
  cause: Diagnosis['cause'];
  host: Diagnosis['host'];
  nic?: NicRef;
}

const on = (cause: Diagnosis['cause'], host: Diagnosis['host'], nic?: NicRef): ExpectedDiagnosis => ({ cause, host, ...(nic ? { nic } : {}) });
const FORWARDING_OFF = [on('forwarding-off', 'router')];

export const EXPECTED_DIAGNOSES: Record<Variant, ExpectedDiagnosis[]> = {
  good: [],
  'no-forwarding': FORWARDING_OFF,
  'no-route': [on('no-route', 'vm1', 'vm1/internal1')],
  'no-return-route': [on('no-return-route', 'vm3', 'vm3/internal2')],
  'overlapping-subnets': [on('overlapping-subnets', 'router', 'router/internal2'), on('overlapping-subnets', 'vm3', 'vm3/internal2')],
  'slow-link': [on('slow-path', 'router', 'router/internal1'), on('slow-path', 'router', 'router/internal2')],
  'via-host': [on('route-bypasses-router', 'vm1', 'vm1/internal1'), on('route-bypasses-router', 'vm3', 'vm3/internal2')],
  'firewall-drop': [on('filtered', 'router')],
  'router-down': [on('unreachable-vm', 'router')],
  'no-iperf': [on('tool-missing', 'vm3')],
  'wrong-gateway': [on('wrong-gateway', 'vm1', 'vm1/internal1')],
  'nic-down': [on('link-down', 'router', 'router/internal2')],
  'no-address': [on('no-internal-address', 'vm3', 'vm3/internal2'), on('no-return-route', 'vm3', 'vm3/internal2')],
  'packet-loss': [on('packet-loss', 'router', 'router/internal2')],
  'via-hypervisor': [on('route-bypasses-router', 'vm1', 'vm1/internal1')],
  'router-bridges': [on('overlapping-subnets', 'router', 'router/br0' as NicRef)],
  'fake-ping': FORWARDING_OFF,
  'fake-traceroute': FORWARDING_OFF,
  'fake-iperf': FORWARDING_OFF,
  'fake-all': FORWARDING_OFF,
  'fake-all-chatter': FORWARDING_OFF,
  takeover: FORWARDING_OFF,
  'router-off-subnet': [on('router-not-on-network', 'router'), ...FORWARDING_OFF],
  'one-way': [on('no-return-route', 'vm3', 'vm3/internal2')],
};

/**
 * The variants with one mistake a student fixes by typing the printed commands on the VMs:
 * `router-down` is fixed on the VM's console (sshd), `no-iperf` by installing a package,
 * `router-bridges` by a new addressing plan (a second subnet for internal network 2), and the
 * fake-* variants hide a second mistake (faked tools) behind the first.
 */
export const FIXABLE: readonly Variant[] = [
  'no-forwarding',
  'no-route',
  'no-return-route',
  'overlapping-subnets',
  'slow-link',
  'via-host',
  'firewall-drop',
  'wrong-gateway',
  'nic-down',
  'no-address',
  'packet-loss',
  'via-hypervisor',
];

/** What the diagnosis said, named like the expectations: NIC names become `role/network`. */
export function observedDiagnoses(diagnoses: Diagnosis[] | undefined, nicRef: (host: string, nic: string) => NicRef | undefined): ExpectedDiagnosis[] {
  return (diagnoses ?? [])
    .filter((d) => d.cause !== 'not-virtio')
    .map((d) => {
      const nic = d.nic ? (nicRef(d.host, d.nic) ?? (`${d.host}/${d.nic}` as NicRef)) : undefined;
      return on(d.cause, d.host, nic);
    });
}

export function describeDiagnoses(list: ExpectedDiagnosis[]): string {
  return list.length === 0 ? '–' : list.map((d) => `\`${d.cause}\` ${d.host}${d.nic ? ` (${d.nic.split('/')[1]})` : ''}`).join(', ');
}
