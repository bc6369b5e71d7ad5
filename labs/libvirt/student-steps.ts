// What `up` types inside the VMs as the student would, over SSH, in order. Pure.
import { VM_ROLES, VM_VARIANT_TABLE, type VmAddresses, type VmLabPlan, type VmRole } from './plan.ts';

/** What `up` does inside the VMs as the student would, over SSH, in order. */
export interface StudentStep {
  role: VmRole;
  command: string;
}

export function studentSteps(plan: VmLabPlan, addresses: VmAddresses): StudentStep[] {
  // A Debian guest's user is not root: the student types sudo, as the exercise says.
  const sudo = plan.guest === 'debian' ? 'sudo ' : '';
  const steps: StudentStep[] = [];
  if (VM_VARIANT_TABLE[plan.variant].routerForwarding) steps.push({ role: 'router', command: `${sudo}sysctl -w net.ipv4.ip_forward=1` });
  steps.push({
    role: 'vm1',
    command: `${sudo}ip route add ${plan.networks.internal2.subnet} via ${addresses.router.internal1}`,
  });
  steps.push({
    role: 'vm3',
    command: `${sudo}ip route add ${plan.networks.internal1.subnet} via ${addresses.router.internal2}`,
  });
  return steps;
}

/** A Debian guest's NIC names by MAC, as `ip` shows them inside the VM. */
export type NicNames = Record<VmRole, Record<string, string>>;

/**
 * The first student step on Debian guests: `sudo dhclient -v NIC` on every internal NIC (the
 * internal networks have DHCP; the installer configured only the management NIC). Throws when a
 * planned NIC is not in `names`.
 */
export function dhcpSteps(plan: VmLabPlan, names: NicNames): StudentStep[] {
  const steps: StudentStep[] = [];
  for (const role of VM_ROLES) {
    for (const nic of plan.vms[role].nics.filter((n) => n.network !== 'management')) {
      const name = names[role][nic.mac.toLowerCase()];
      if (name === undefined) throw new Error(`${role} has no NIC with MAC ${nic.mac} (${nic.network})`);
      steps.push({ role, command: `sudo dhclient -v ${name}` });
    }
  }
  return steps;
}
