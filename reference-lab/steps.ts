// The commands that build a planned lab's network, in order (pure).
import { parseCidr } from './ipv4.ts';
import { VM_ROLES, type LabPlan, type Network, type Step } from './plan.ts';
import { CHATTER_INTERVAL_SECONDS, SLOW_LINK_RATE } from './variants.ts';

function sysctlStep(namespace: string, forwarding: boolean, ipv6: boolean): Step {
  // New namespaces inherit IPv4 settings from the root namespace: set what the lab relies on.
  // rp_filter=2 (loose) is Ubuntu's default.
  return {
    argv: [
      'ip', 'netns', 'exec', namespace, 'sysctl', '-q', '-w',
      `net.ipv4.ip_forward=${forwarding ? 1 : 0}`,
      'net.ipv4.conf.all.rp_filter=2',
      'net.ipv4.conf.default.rp_filter=2',
      // Before any NIC exists, so that none gets IPv6 (no router solicitations, no MLD reports).
      ...(ipv6 ? [] : ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']),
    ],
  };
}

/** Starts `ping -q -i $1 $2` in the background, detached from the step's output, and returns. */
export const CHATTER_COMMAND = 'ping -q -i "$1" "$2" </dev/null >/dev/null 2>&1 &';

/** nftables ruleset of `firewall-drop`: like ufw's "deny (routed)". */
export const FIREWALL_DROP_RULESET = `table inet filter {
\tchain forward {
\t\ttype filter hook forward priority filter; policy drop;
\t}
}
`;

export function buildSteps(plan: LabPlan): Step[] {
  const { namespaces: ns, bridges, rootLink, vms, addresses } = plan;
  const steps: Step[] = [];
  const add = (...argv: string[]): void => {
    steps.push({ argv });
  };
  const machines = [ns.hv, ns.vm1, ns.router, ns.vm3];

  for (const namespace of machines) add('ip', 'netns', 'add', namespace);
  steps.push(sysctlStep(ns.hv, plan.hypervisorForwarding, plan.ipv6));
  for (const role of VM_ROLES) steps.push(sysctlStep(vms[role].namespace, vms[role].forwarding, plan.ipv6));
  for (const namespace of machines) add('ip', '-n', namespace, 'link', 'set', 'lo', 'up');

  const hvAddress: Record<Network, string> = addresses.hypervisor;
  for (const network of ['management', 'internal1', 'internal2'] as const) {
    const bridge = bridges[network];
    const prefix = parseCidr(plan.subnets[network]).prefix;
    add('ip', '-n', ns.hv, 'link', 'add', bridge, 'type', 'bridge', 'stp_state', '0');
    add('ip', '-n', ns.hv, 'addr', 'add', `${hvAddress[network]}/${prefix}`, 'dev', bridge);
    add('ip', '-n', ns.hv, 'link', 'set', bridge, 'up');
  }

  for (const role of VM_ROLES) {
    const vm = vms[role];
    for (const nic of vm.nics) {
      add('ip', '-n', ns.hv, 'link', 'add', nic.hostEnd, 'type', 'veth',
        'peer', 'name', nic.name, 'address', nic.mac, 'netns', vm.namespace);
      add('ip', '-n', ns.hv, 'link', 'set', nic.hostEnd, 'master', bridges[nic.network], 'up');
      add('ip', '-n', vm.namespace, 'addr', 'add', `${nic.address}/${nic.prefix}`, 'dev', nic.name);
      add('ip', '-n', vm.namespace, 'link', 'set', nic.name, 'up');
    }
  }

  // The root namespace's way onto the management network: one veth with an address, nothing else.
  add('ip', 'link', 'add', rootLink.name, 'type', 'veth', 'peer', 'name', rootLink.peer, 'netns', ns.hv);
  add('ip', 'link', 'set', rootLink.name, 'addrgenmode', 'none');
  add('ip', '-n', ns.hv, 'link', 'set', rootLink.peer, 'master', bridges.management, 'up');
  add('ip', 'addr', 'add', `${rootLink.address}/${rootLink.prefix}`, 'dev', rootLink.name);
  add('ip', 'link', 'set', rootLink.name, 'up');

  for (const role of VM_ROLES) {
    const vm = vms[role];
    for (const route of vm.routes) add('ip', '-n', vm.namespace, 'route', 'add', route.to, 'via', route.via);
  }

  if (plan.variant === 'slow-link') {
    for (const nic of vms.router.nics.filter((n) => n.network !== 'management')) {
      add('tc', '-n', ns.router, 'qdisc', 'add', 'dev', nic.name, 'root',
        'tbf', 'rate', SLOW_LINK_RATE, 'burst', '32kb', 'latency', '50ms');
    }
  }
  if (plan.variant === 'firewall-drop') {
    steps.push({ argv: ['ip', 'netns', 'exec', ns.router, 'nft', '-f', '-'], input: FIREWALL_DROP_RULESET });
  }
  if (plan.variant === 'fake-all-chatter' || plan.variant === 'one-way') {
    // A student's background job on VM1 and on VM3: ping the router's own address on the VM's
    // internal network, forever (lab down ends every process of the namespace).
    for (const [vm, routerAddress] of [[ns.vm1, addresses.router.internal1], [ns.vm3, addresses.router.internal2]] as const) {
      add('ip', 'netns', 'exec', vm, 'sh', '-c', CHATTER_COMMAND, 'sh', CHATTER_INTERVAL_SECONDS, routerAddress);
    }
  }
  return steps;
}
