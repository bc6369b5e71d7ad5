// The commands that build a planned lab's network, in order (pure).
import { parseSubnet } from '../../grader/core/ipv4.ts';
import type { LabPlan, Step } from './plan-types.ts';
import { VM_ROLES, type Network } from './roles.ts';
import type { RouterFirewall, Vm3Firewall } from './variant-spec.ts';

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

/** The MAC of `stale-neighbour`'s permanent entry for the router: locally administered, no NIC's. */
export const STALE_ROUTER_MAC = '02:00:00:de:ad:01';

/** The bridge a router that bridges its internal NICs has. */
export const ROUTER_BRIDGE = 'br0';

/** Starts `ping -q -i $1 $2` in the background, detached from the step's output, and returns. */
export const CHATTER_COMMAND = 'ping -q -i "$1" "$2" </dev/null >/dev/null 2>&1 &';

/** nftables ruleset that drops every forwarded packet: like ufw's "deny (routed)". */
export const FIREWALL_DROP_RULESET = `table inet filter {
\tchain forward {
\t\ttype filter hook forward priority filter; policy drop;
\t}
}
`;

/**
 * nftables ruleset that loses every other echo request leaving `nic` is dropped, exactly
 * (numgen counts them), so that ping's loss is about half on every run while traceroute's UDP
 * probes and iperf's TCP go through.
 */
export function lossyRuleset(nic: string): string {
  return `table inet lossy {
\tchain postrouting {
\t\ttype filter hook postrouting priority filter; policy accept;
\t\toifname "${nic}" icmp type echo-request numgen inc mod 2 == 0 drop
\t}
}
`;
}

/** nftables ruleset that drops one ICMP message the router itself sends (its OUTPUT hook). */
export function outputIcmpDropRuleset(match: string): string {
  return `table inet filter {
\tchain output {
\t\ttype filter hook output priority filter; policy accept;
\t\t${match} drop
	}
}
`;
}

/** nftables ruleset that masquerades what leaves `nic`: a router doing NAT, not only routing. */
export function masqueradeRuleset(nic: string): string {
  return `table ip nat {
\tchain postrouting {
\t\ttype nat hook postrouting priority srcnat; policy accept;
\t\toifname "${nic}" masquerade
\t}
}
`;
}

/** The ruleset of a router firewall; `towardVm3` is the router's NIC on internal network 2. */
export function firewallRuleset(firewall: RouterFirewall, towardVm3: string): string {
  const rulesets: Record<RouterFirewall, () => string> = {
    'drop-forwarded': () => FIREWALL_DROP_RULESET,
    'drop-every-other-echo-to-vm3': () => lossyRuleset(towardVm3),
    'drop-frag-needed': () => outputIcmpDropRuleset('icmp type destination-unreachable icmp code frag-needed'),
    'drop-time-exceeded': () => outputIcmpDropRuleset('icmp type time-exceeded'),
    'masquerade-toward-vm3': () => masqueradeRuleset(towardVm3),
  };
  return rulesets[firewall]();
}

/** VM3's firewall: INPUT policy drop, admitting what a student thought of (SSH, ping, answers). */
export function vm3FirewallRuleset(firewall: Vm3Firewall): string {
  const rulesets: Record<Vm3Firewall, () => string> = {
    'input-drop-admits-ping': () => `table inet filter {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tct state established,related accept
\t\tiif "lo" accept
\t\ticmp type echo-request accept
\t\ttcp dport 22 accept
\t}
}
`,
  };
  return rulesets[firewall]();
}

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
    const prefix = parseSubnet(plan.subnets[network]).prefixLength;
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
      if (nic.address) add('ip', '-n', vm.namespace, 'addr', 'add', `${nic.address}/${nic.prefix}`, 'dev', nic.name);
      for (const extra of nic.extraAddresses ?? []) add('ip', '-n', vm.namespace, 'addr', 'add', extra, 'dev', nic.name);
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

  for (const d of plan.dhcp) {
    // As libvirt's dnsmasq: DHCP only (no DNS, so no client rewrites a resolv.conf), no router offered.
    add('ip', 'netns', 'exec', ns.hv, 'dnsmasq', '--port=0', `--interface=${d.bridge}`, '--bind-interfaces',
      `--dhcp-range=${d.firstAddress},${d.lastAddress},${d.netmask},1h`, '--dhcp-option=3',
      ...d.reservations.map((r) => `--dhcp-host=${r.mac},${r.address}`), '--no-ping', `--dhcp-leasefile=${d.leaseFile}`,
      `--pid-file=${d.pidFile}`, '--no-resolv', '--no-hosts', '--user=root', '--group=root');
  }

  const changes = plan.changes;
  const routerInternalNics = vms.router.nics.filter((n) => n.network !== 'management');
  const routerInternal2 = vms.router.nics.find((n) => n.network === 'internal2')!;
  if (changes.routerRateLimit) {
    for (const nic of routerInternalNics) {
      add('tc', '-n', ns.router, 'qdisc', 'add', 'dev', nic.name, 'root',
        'tbf', 'rate', changes.routerRateLimit, 'burst', '32kb', 'latency', '50ms');
    }
  }
  if (changes.routerFirewall) {
    steps.push({ argv: ['ip', 'netns', 'exec', ns.router, 'nft', '-f', '-'], input: firewallRuleset(changes.routerFirewall, routerInternal2.name) });
  }
  if (changes.routerInternal2Mtu !== undefined) add('ip', '-n', ns.router, 'link', 'set', 'dev', routerInternal2.name, 'mtu', String(changes.routerInternal2Mtu));
  if (changes.vm3Firewall) {
    steps.push({ argv: ['ip', 'netns', 'exec', ns.vm3, 'nft', '-f', '-'], input: vm3FirewallRuleset(changes.vm3Firewall) });
  }
  if (changes.routerBridgesInternalNics) {
    // The student joined the router's internal NICs in a bridge and gave it VM1's network address.
    const prefix = parseSubnet(plan.subnets.internal1).prefixLength;
    add('ip', '-n', ns.router, 'link', 'add', 'name', ROUTER_BRIDGE, 'type', 'bridge', 'stp_state', '0');
    for (const nic of routerInternalNics) add('ip', '-n', ns.router, 'link', 'set', 'dev', nic.name, 'master', ROUTER_BRIDGE);
    add('ip', '-n', ns.router, 'addr', 'add', `${addresses.router.internal1}/${prefix}`, 'dev', ROUTER_BRIDGE);
    add('ip', '-n', ns.router, 'link', 'set', 'dev', ROUTER_BRIDGE, 'up');
  }
  if (changes.vm1StaleRouterNeighbour) {
    // A neighbour entry the student typed (or left from an earlier router) for the router's
    // address: permanent, with a MAC no NIC of the lab has (locally administered).
    const nic = vms.vm1.nics.find((n) => n.network === 'internal1')!;
    add('ip', '-n', ns.vm1, 'neigh', 'replace', addresses.router.internal1, 'lladdr', STALE_ROUTER_MAC, 'dev', nic.name, 'nud', 'permanent');
  }
  if (changes.routerInternal2Down) add('ip', '-n', ns.router, 'link', 'set', routerInternal2.name, 'down');
  if (changes.routerNicForwardingOff) {
    // After ip_forward=1 (writing it sets every NIC's value): one NIC's own forwarding off, as
    // systemd-networkd leaves a link whose .network file does not turn it on.
    const nic = vms.router.nics.find((n) => n.network === changes.routerNicForwardingOff)!;
    add('ip', 'netns', 'exec', ns.router, 'sysctl', '-q', '-w', `net.ipv4.conf.${nic.name}.forwarding=0`);
  }
  if (changes.chatterIntervalSeconds) {
    // A student's background job on VM1 and on VM3: ping the router's own address on the VM's
    // internal network, forever (lab down ends every process of the namespace).
    for (const [vm, routerAddress] of [[ns.vm1, addresses.router.internal1], [ns.vm3, addresses.router.internal2]] as const) {
      add('ip', 'netns', 'exec', vm, 'sh', '-c', CHATTER_COMMAND, 'sh', changes.chatterIntervalSeconds, routerAddress);
    }
  }
  return steps;
}
