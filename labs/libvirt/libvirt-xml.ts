// libvirt XML for the lab's networks (`virsh net-define`) and domains (`virsh define`). Pure.
import type { NetworkPlan, VmLabPlan, VmRole } from './plan.ts';

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * An isolated network (no `<forward>`: no NAT, nothing leaves the machine) with DHCP and no DNS.
 * libvirt tells dnsmasq to offer no router on an isolated network; the management network asks
 * for its `.1` as the default gateway, like libvirt's `default` network gives its guests.
 */
export function networkXml(network: NetworkPlan): string {
  const e = xmlEscape;
  const lines = [
    "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>",
    `  <name>${e(network.name)}</name>`,
    `  <uuid>${e(network.uuid)}</uuid>`,
    `  <bridge name='${e(network.bridge)}' stp='off' delay='0'/>`,
    "  <dns enable='no'/>",
    `  <ip address='${e(network.address)}' prefix='${network.prefix}'>`,
    '    <dhcp>',
    `      <range start='${e(network.dhcpStart)}' end='${e(network.dhcpEnd)}'/>`,
    '    </dhcp>',
    '  </ip>',
  ];
  lines.push('  <dnsmasq:options>');
  // dnsmasq pings an address before offering it (seconds per lease): on a network of our own
  // VMs nothing else can hold one.
  lines.push("    <dnsmasq:option value='no-ping'/>");
  if (network.gateway) lines.push(`    <dnsmasq:option value='dhcp-option=option:router,${e(network.gateway)}'/>`);
  lines.push('  </dnsmasq:options>', '</network>', '');
  return lines.join('\n');
}

/**
 * A direct-kernel-boot guest, serial console logged to a file, one NIC per network. busybox: no
 * disk, `pc` machine, NICs at fixed slots of bus 0 (`eth0`...). debian: a `q35` machine as
 * virt-manager makes, its copy-on-write overlay as the VirtIO root disk, the first-boot seed as a
 * read-only second disk, NICs placed by libvirt (VirtIO ones each on a PCIe root port: `enp1s0`...).
 */
export function domainXml(plan: VmLabPlan, role: VmRole): string {
  const e = xmlEscape;
  const vm = plan.vms[role];
  const debian = plan.guest === 'debian';
  const pciSlot = (slot: number): string => `0x${slot.toString(16).padStart(2, '0')}`;
  const nics = vm.nics.flatMap((nic) => [
    "    <interface type='network'>",
    `      <source network='${e(plan.networks[nic.network].name)}'/>`,
    `      <mac address='${e(nic.mac)}'/>`,
    `      <model type='${plan.nic}'/>`,
    // Direct kernel boot needs no PXE ROM (and ipxe-qemu need not be installed).
    "      <rom enabled='no'/>",
    ...(debian ? [] : [`      <address type='pci' domain='0x0000' bus='0x00' slot='${pciSlot(nic.pciSlot)}' function='0x0'/>`]),
    '    </interface>',
  ]);
  const disks = debian
    ? [
        "    <disk type='file' device='disk'>",
        "      <driver name='qemu' type='qcow2' discard='unmap'/>",
        `      <source file='${e(vm.disk)}'/>`,
        "      <target dev='vda' bus='virtio'/>",
        '    </disk>',
        "    <disk type='file' device='disk'>",
        "      <driver name='qemu' type='raw'/>",
        `      <source file='${e(vm.seed)}'/>`,
        "      <target dev='vdb' bus='virtio'/>",
        '      <serial>vmlab-seed</serial>',
        '      <readonly/>',
        '    </disk>',
      ]
    : [];
  // An entropy source: without one dropbear (and sshd) wait seconds for the guest kernel's RNG under TCG.
  const rng = [
    "    <rng model='virtio'>",
    "      <backend model='random'>/dev/urandom</backend>",
    ...(debian ? [] : ["      <address type='pci' domain='0x0000' bus='0x00' slot='0x0a' function='0x0'/>"]),
    '    </rng>',
  ];
  return [
    `<domain type='${plan.domainType}'>`,
    `  <name>${e(vm.domain)}</name>`,
    `  <uuid>${e(vm.uuid)}</uuid>`,
    `  <title>router-lab-grader vm-lab ${e(plan.name)}: ${role}</title>`,
    `  <description>Created by npm run vmlab -- up; removed by npm run vmlab -- down --name ${e(plan.name)} (state: ${e(plan.stateDir)})</description>`,
    `  <memory unit='MiB'>${vm.memoryMiB}</memory>`,
    '  <vcpu>1</vcpu>',
    '  <os>',
    `    <type arch='x86_64' machine='${debian ? 'q35' : 'pc'}'>hvm</type>`,
    `    <kernel>${e(plan.image.kernel)}</kernel>`,
    `    <initrd>${e(vm.initrd)}</initrd>`,
    `    <cmdline>${e(vm.cmdline)}</cmdline>`,
    '  </os>',
    '  <features><acpi/></features>',
    "  <clock offset='utc'/>",
    '  <on_poweroff>destroy</on_poweroff>',
    "  <on_reboot>destroy</on_reboot>",
    '  <on_crash>destroy</on_crash>',
    '  <devices>',
    ...nics,
    ...disks,
    "    <serial type='file'>",
    `      <source path='${e(vm.consoleLog)}'/>`,
    "      <target port='0'/>",
    '    </serial>',
    ...rng,
    "    <controller type='usb' model='none'/>",
    "    <memballoon model='none'/>",
    '  </devices>',
    '</domain>',
    '',
  ].join('\n');
}
