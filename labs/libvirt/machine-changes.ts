// What `npm run vmlab -- up` changes on this machine beyond .lab/ and its own domains and networks,
// and leaves so after `down`: said in its usage, labs/libvirt/README.md and docs/reference-lab.md
// (each test checks every entry is there), before an instructor runs it. Pure data.

export interface MachineChange {
  /** The words every page names it by. */
  what: string;
  why: string;
}

export const MACHINE_CHANGES: readonly MachineChange[] = [
  { what: '/etc/libvirt/qemu.conf', why: 'user = "root" and group = "root", so that QEMU reads the lab\'s disks under .lab/' },
  { what: 'a libvirt-qemu system user', why: "created when missing: libvirt's QEMU driver looks it up before it reads qemu.conf" },
  { what: 'libvirtd and virtlogd', why: 'started by hand (libvirtd -d, virtlogd -d) when not running, and left running after down' },
  { what: 'LIBVIRT_* iptables chains', why: "libvirtd adds them to the root namespace's filter, nat and mangle tables when it starts, and leaves them" },
  { what: '.cache/vm-image/', why: 'the guest images (the first Debian build takes minutes), kept for the next up' },
];

/** The usage paragraph: one line per change. */
export function machineChangesText(): string {
  return ['up changes this machine, and down leaves it so:', ...MACHINE_CHANGES.map((c) => `  ${c.what}: ${c.why}`)].join('\n');
}
