// How a fix is made to survive a reboot, in the distributions students use (Ubuntu's netplan,
// Debian's ifupdown, sysctl.d, nftables.conf).

/** The one file every sysctl fix is kept in (the check file's ip-forward hint names it too). */
export const SYSCTL_D_FILE = '/etc/sysctl.d/99-router-lab.conf';

export function persistSysctl(setting: string): string {
  return `\`sysctl -w\` lasts until the next boot: \`echo ${setting} | sudo tee -a ${SYSCTL_D_FILE}\` keeps it.`;
}

export function persistRoute(to: string, via: string, nic: string): string {
  return (
    `\`ip route\` lasts until the next boot: on Ubuntu add under ${nic} in /etc/netplan/*.yaml ` +
    `\`routes: [{to: ${to}, via: ${via}}]\` and run \`sudo netplan apply\`; on Debian add ` +
    `\`up ip route add ${to} via ${via}\` under \`iface ${nic}\` in /etc/network/interfaces.`
  );
}

export function persistDhcp(nic: string): string {
  return (
    `For ${nic} to come up with its address at every boot: on Ubuntu list it in /etc/netplan/*.yaml ` +
    `(\`ethernets: {${nic}: {dhcp4: true}}\`, then \`sudo netplan apply\`); on Debian add ` +
    `\`auto ${nic}\` and \`iface ${nic} inet dhcp\` to /etc/network/interfaces.`
  );
}

export function persistAddress(nic: string, cidr: string): string {
  return (
    `An address set with \`ip addr\` lasts until the next boot: on Ubuntu set \`addresses: [${cidr}]\` under ${nic} in ` +
    `/etc/netplan/*.yaml; on Debian \`iface ${nic} inet static\` with \`address ${cidr}\` in /etc/network/interfaces ` +
    `(or fix the libvirt network's DHCP range with \`virsh net-edit\`).`
  );
}

export const PERSIST_FIREWALL =
  'The running rules are what counts now; for the next boot remove the rule where it is kept too (/etc/nftables.conf, `sudo ufw route allow ...`, or `sudo netfilter-persistent save`).';

export const PERSIST_QDISC =
  'A qdisc is gone after a reboot unless something adds it at boot: look for `tc` in /etc/network/if-up.d/, systemd units and rc.local.';
