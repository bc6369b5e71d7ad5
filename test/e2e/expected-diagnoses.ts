// The causes the diagnosis must name on every reference-lab variant (cause, host, and the NIC by
// the network it is on, since NIC names depend on the lab's slot), in the order to fix them, are
// the variants' own (labs/netns/variants.ts). The not-virtio diagnosis of every VM the grader
// reached is asserted apart: namespaces have veths.
import type { Diagnosis } from '../../grader/core/diagnosis.ts';
import { diagnosis as on, type ExpectedDiagnosis, type NicRef } from '../../labs/netns/variant-spec.ts';
import { VARIANTS, variantSpec, type Variant } from '../../labs/netns/variants.ts';

export type { ExpectedDiagnosis, NicRef };

/** Each variant's diagnoses, as its entry of the reference lab's table has them. */
export const EXPECTED_DIAGNOSES = Object.fromEntries(VARIANTS.map((v) => [v, [...variantSpec(v).diagnoses]])) as Record<Variant, ExpectedDiagnosis[]>;

/**
 * The variants with one mistake a student fixes by typing the printed commands on the VMs (the
 * table's `fixedByPrintedCommands`): `router-down` is fixed on the VM's console (sshd), `no-iperf`
 * by installing a package, `router-bridges` by a new addressing plan, and the fake-* variants hide
 * a second mistake (faked tools) behind the first.
 */
export const FIXABLE: readonly Variant[] = VARIANTS.filter((v) => variantSpec(v).fixedByPrintedCommands === true);

/** The variants whose printed fix commands all run, but leave steps the student works out (a comment line). */
export const COMMANDS_RUN: readonly Variant[] = VARIANTS.filter((v) => variantSpec(v).fixedByPrintedCommands === 'commands-run');

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
