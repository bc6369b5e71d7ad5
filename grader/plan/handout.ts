import { hostAddress, parseSubnet, type Subnet } from '../core/ipv4.ts';
import type { LabPlan } from './lab-plan.ts';

// A student's handout: the exercise's steps with their own networks and addresses, as data
// (sections of paragraphs and command blocks) that handout-markdown.ts and handout-html.ts render.

export type HandoutBlock = { text: string } | { code: string; language: 'sh' | 'xml' };

export interface HandoutSection {
  title: string;
  blocks: HandoutBlock[];
}

export interface Handout {
  title: string;
  /** Who it is for: the roster's name and id. */
  student: string;
  sections: HandoutSection[];
}

/** The libvirt network names the handout uses: VM1's internal network, then VM3's. */
export const NETWORK_NAMES = { vm1: 'internal1', vm3: 'internal2' } as const;

function networkXml(name: string, bridge: string, network: Subnet): string {
  const size = 2 ** (32 - network.prefixLength);
  return [
    '<network>',
    `  <name>${name}</name>`,
    `  <bridge name='${bridge}' stp='on' delay='0'/>`,
    `  <ip address='${hostAddress(network, 1)}' prefix='${network.prefixLength}'>`,
    '    <dhcp>',
    `      <range start='${hostAddress(network, size / 2)}' end='${hostAddress(network, size - 2)}'/>`,
    '    </dhcp>',
    '  </ip>',
    '</network>',
  ].join('\n');
}

/** The handout of one plan; `student` as the roster names them (`Ada Lovelace (s1001)`). */
export function handoutOf(plan: LabPlan, student: string): Handout {
  const vm1 = parseSubnet(plan.vm1Network);
  const vm3 = parseSubnet(plan.vm3Network);
  const prefix1 = vm1.prefixLength;
  const prefix3 = vm3.prefixLength;
  return {
    title: 'Exchange traffic between two VMs through a third VM acting as router: your addressing plan',
    student,
    sections: [
      {
        title: 'Your plan',
        blocks: [
          { text: `VM1's internal network: ${plan.vm1Network}. VM3's internal network: ${plan.vm3Network}. The router's address on VM1's network: ${plan.routerOnVm1}; on VM3's network: ${plan.routerOnVm3}.` },
          { text: 'These values are yours: the grader checks that your lab uses them. VM1 and VM3 take their addresses by DHCP from the upper half of their network.' },
        ],
      },
      {
        title: '1. Create the two internal networks',
        blocks: [
          { text: `Save this as ${NETWORK_NAMES.vm1}.xml:` },
          { code: networkXml(NETWORK_NAMES.vm1, 'virbr-int1', vm1), language: 'xml' },
          { text: `and this as ${NETWORK_NAMES.vm3}.xml:` },
          { code: networkXml(NETWORK_NAMES.vm3, 'virbr-int2', vm3), language: 'xml' },
          { text: 'Then define and start them on the hypervisor:' },
          {
            code: [NETWORK_NAMES.vm1, NETWORK_NAMES.vm3].flatMap((name) => [`virsh net-define ${name}.xml`, `virsh net-start ${name}`, `virsh net-autostart ${name}`]).join('\n'),
            language: 'sh',
          },
        ],
      },
      {
        title: '2. Create VM1, VM3 and the router',
        blocks: [
          { text: `VM1: two VirtIO NICs, the first on the default network, the second on ${NETWORK_NAMES.vm1}. VM3: the same, its second NIC on ${NETWORK_NAMES.vm3}. The router: three VirtIO NICs, on the default network, ${NETWORK_NAMES.vm1} and ${NETWORK_NAMES.vm3}.` },
        ],
      },
      {
        title: '3. Configure the router',
        blocks: [
          { text: `On the router, give the NIC on ${NETWORK_NAMES.vm1} and the NIC on ${NETWORK_NAMES.vm3} their addresses (find their names with \`ip -br link\`; enp2s0 and enp3s0 below are examples), and turn forwarding on:` },
          {
            code: [`sudo ip addr add ${plan.routerOnVm1}/${prefix1} dev enp2s0`, `sudo ip addr add ${plan.routerOnVm3}/${prefix3} dev enp3s0`, 'sudo ip link set enp2s0 up', 'sudo ip link set enp3s0 up', 'sudo sysctl -w net.ipv4.ip_forward=1'].join('\n'),
            language: 'sh',
          },
        ],
      },
      {
        title: '4. Routes on VM1 and VM3',
        blocks: [
          { text: 'On VM1, after `sudo dhclient -v` on its second NIC:' },
          { code: `sudo ip route add ${plan.vm3Network} via ${plan.routerOnVm1}`, language: 'sh' },
          { text: 'On VM3:' },
          { code: `sudo ip route add ${plan.vm1Network} via ${plan.routerOnVm3}`, language: 'sh' },
        ],
      },
      {
        title: '5. Verify',
        blocks: [
          { text: `From VM1, ping VM3's address on ${plan.vm3Network} (\`ip -4 -br addr\` on VM3 shows it), run \`traceroute\` to it (its first hop is ${plan.routerOnVm1}), and measure with iperf3 (\`iperf3 -s\` on VM3, \`iperf3 -c ADDRESS\` on VM1).` },
        ],
      },
    ],
  };
}
