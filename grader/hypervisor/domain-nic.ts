// Which NIC of a libvirt domain a guest interface is: the two are matched by MAC address, the one
// name both sides share (the guest names its NICs enp1s0, the domain XML names none).
import type { NetworkInterface } from '../core/facts.ts';
import type { DomainInterface } from '../parse/virsh.ts';

/** The MAC of the guest's interface `name`, lower-cased (as virsh reports MACs), if it has one. */
export function macOf(guest: readonly NetworkInterface[], name: string): string | undefined {
  return guest.find((nic) => nic.name === name)?.mac?.toLowerCase();
}

/** The domain's NIC that is the guest's interface `name`, when both are known. */
export function domainNicOf(
  guest: readonly NetworkInterface[],
  name: string,
  domain: readonly DomainInterface[] | undefined,
): DomainInterface | undefined {
  const mac = macOf(guest, name);
  return mac === undefined ? undefined : domain?.find((d) => d.mac === mac);
}
