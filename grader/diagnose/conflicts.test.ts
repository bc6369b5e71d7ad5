// address-conflict on the state recorded from the reference lab's `vm-has-router-address` variant:
// VM3 took the router's own address on internal network 2 (and so has no route back).
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

type State = DiagnosisInput & { addresses: { router: { internal2: string }; vm1: { internal: string } } };
const state = (): State => JSON.parse(fixture('diagnose/vm-has-router-address.json')) as State;

describe('a VM that took the router\'s own address', () => {
  it('is diagnosed as the conflict it is, on VM3, not as a router missing from the network', () => {
    const found = diagnose(state()).filter((d) => d.cause !== 'not-virtio');
    expect(found.map((d) => `${d.cause} ${d.host} ${d.nic ?? '-'}`)).toEqual(['address-conflict vm3 eth1', 'no-return-route vm3 eth1']);
  });

  it('the fix gives the address back and takes one of VM3\'s own, then adds the route back via the router\'s address', () => {
    const s = state();
    const [conflict, route] = diagnose(s).filter((d) => d.cause !== 'not-virtio');
    const r2 = s.addresses.router.internal2;
    expect(conflict!.fix).toEqual([`sudo ip addr del ${r2}/24 dev eth1`, 'sudo dhclient -v eth1']);
    expect(conflict!.summary).toContain(`${r2} on eth1 is the router's own address`);
    expect(conflict!.evidence.join('\n')).toContain(`router ens5: ${r2}/24`);
    expect(conflict!.fix.join('\n')).not.toMatch(/virt-manager|Add Hardware/);
    expect(route!.fix).toEqual([`sudo ip route add ${s.addresses.vm1.internal.replace(/\.\d+$/, '.0')}/24 via ${r2}`]);
  });
});
