// An internal address typed on the management NIC, on the state recorded from the reference lab's
// `address-on-mgmt-nic` variant: the fix moves the address, it does not run DHCP beside it.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import type { HostFacts } from '../lab/host-facts.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

type State = DiagnosisInput & { addresses: { vm1: { internal: string }; vm3: { internal: string }; router: { internal1: string } } };
const state = (): State => JSON.parse(fixture('diagnose/address-on-mgmt-nic.json')) as State;
const vm1Facts = (s: State): HostFacts => {
  const h = [...s.hosts].find((x) => x.role === 'vm1')!;
  return 'facts' in h ? h.facts : (undefined as never);
};
const net24 = (address: string) => `${address.split('.').slice(0, 3).join('.')}.0/24`;

describe('an internal address typed on the management NIC', () => {
  it('is one no-internal-address on the internal NIC, whose fix moves the address and puts the route back', () => {
    const s = state();
    const facts = vm1Facts(s);
    const management = facts.management!.name;
    const internal = facts.interfaces.find((i) => i.name !== 'lo' && i.name !== management)!.name;
    const found = diagnose(s).filter((d) => d.cause !== 'not-virtio');
    expect(found.map((d) => `${d.cause} ${d.host} ${d.nic}`)).toEqual([`no-internal-address vm1 ${internal}`]);
    const cidr = `${s.addresses.vm1.internal}/24`;
    expect(found[0]!.fix).toEqual([
      `sudo ip addr del ${cidr} dev ${management}`,
      `sudo ip addr add ${cidr} dev ${internal}`,
      `sudo ip route replace ${net24(s.addresses.vm3.internal)} via ${s.addresses.router.internal1}`,
    ]);
    expect(found[0]!.fix.join('\n')).not.toContain('dhclient');
    expect(found[0]!.summary).toContain(`is on its management NIC ${management}`);
    expect(found[0]!.persist).toMatch(new RegExp(`addresses: \\[${cidr.replace(/\./g, '\\.')}\\]`));
  });

  it('without the router\'s facts (nothing says the address belongs to an internal network), DHCP on the internal NIC is still advised', () => {
    const s = state();
    const found = diagnose({ ...s, hosts: [...s.hosts].filter((h) => h.role !== 'router') }).filter((d) => d.cause === 'no-internal-address');
    expect(found[0]!.fix.join('\n')).toContain('dhclient');
  });
});
