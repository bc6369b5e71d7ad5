import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { domainXml, networkXml, xmlEscape } from './libvirt-xml.ts';
import { planVmLab, type VmPlanInput } from './plan.ts';

const input: VmPlanInput = {
  name: 'lab7',
  slot: 3,
  nic: 'virtio',
  variant: 'good',
  domainType: 'qemu',
  stateDir: "/tmp/a&b's lab",
  createdAt: '2026-01-02T03:04:05.000Z',
  image: { dir: '/c/k', key: 'k', kernel: '/c/k/vmlinux', initrd: '/c/k/initrd.img' },
};

/** Well-formed by xmllint (libxml2-utils, installed with the project's system packages). */
function wellFormed(xml: string): void {
  execFileSync('xmllint', ['--noout', '-'], { input: xml });
}

describe('networkXml', () => {
  const plan = planVmLab(input);

  it('is isolated (no <forward>), with DHCP over the pool .2-.254, no DNS, no ping before offers', () => {
    const xml = networkXml(plan.networks.internal1);
    wellFormed(xml);
    expect(xml).not.toContain('<forward');
    expect(xml).toContain('<name>lab7-internal1</name>');
    expect(xml).toContain(`<uuid>${plan.networks.internal1.uuid}</uuid>`);
    expect(xml).toContain("<bridge name='rlv-3-in1' stp='off' delay='0'/>");
    expect(xml).toContain("<dns enable='no'/>");
    expect(xml).toContain("<ip address='10.125.3.1' prefix='24'>");
    expect(xml).toContain("<range start='10.125.3.2' end='10.125.3.254'/>");
    expect(xml).toContain("<dnsmasq:option value='no-ping'/>");
    expect(xml).not.toContain('option:router');
  });

  it('offers the .1 as default gateway on the management network only', () => {
    const xml = networkXml(plan.networks.management);
    wellFormed(xml);
    expect(xml).not.toContain('<forward');
    expect(xml).toContain("<dnsmasq:option value='dhcp-option=option:router,10.124.3.1'/>");
  });
});

describe('domainXml', () => {
  it.for(['virtio', 'e1000'] as const)('%s: every NIC of that model, in PCI order, on its network', (nic) => {
    const plan = planVmLab({ ...input, nic });
    const xml = domainXml(plan, 'router');
    wellFormed(xml);
    expect(xml.match(/<interface type='network'>/g)).toHaveLength(3);
    expect(xml.match(new RegExp(`<model type='${nic}'/>`, 'g'))).toHaveLength(3);
    expect([...xml.matchAll(/<source network='([^']+)'\/>/g)].map((m) => m[1])).toEqual([
      'lab7-management', 'lab7-internal1', 'lab7-internal2',
    ]);
    const interfaces = [...xml.matchAll(/<interface [\s\S]*?<\/interface>/g)].map((m) => m[0]);
    expect(interfaces.map((block) => /slot='(0x[0-9a-f]+)'/.exec(block)?.[1])).toEqual(['0x03', '0x04', '0x05']);
    expect(xml).toContain("<mac address='52:54:00:03:02:01'/>");
    expect(xml.match(/<rom enabled='no'\/>/g)).toHaveLength(3);
  });

  it('boots the kernel directly, TCG by default, with a file-backed serial console and 256 MiB', () => {
    const plan = planVmLab(input);
    const xml = domainXml(plan, 'vm1');
    wellFormed(xml);
    expect(xml).toMatch(/^<domain type='qemu'>/);
    expect(xml).toContain('<name>lab7-vm1</name>');
    expect(xml).toContain("<memory unit='MiB'>256</memory>");
    expect(xml).toContain('<kernel>/c/k/vmlinux</kernel>');
    expect(xml).toContain('<initrd>/tmp/a&amp;b&apos;s lab/vm1/initrd.img</initrd>');
    expect(xml).toContain('<cmdline>console=ttyS0 hostname=vm1 panic=-1</cmdline>');
    expect(xml).toContain("<serial type='file'>");
    expect(xml).toContain("<source path='/tmp/a&amp;b&apos;s lab/vm1/console.log'/>");
    expect(xml).toContain('<on_reboot>destroy</on_reboot>');
    expect(xml).not.toContain('<disk');
    // Not a NIC: an entropy source, so that dropbear need not wait for the guest's RNG.
    expect(xml).toContain("<rng model='virtio'>");
    expect(xml.match(/<interface /g)).toHaveLength(2);
    expect(domainXml(planVmLab({ ...input, domainType: 'kvm' }), 'vm3')).toMatch(/^<domain type='kvm'>/);
  });
});

describe('xmlEscape', () => {
  it('escapes the five XML specials', () => {
    expect(xmlEscape(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('domainXml for a Debian guest', () => {
  const plan = planVmLab({ ...input, guest: 'debian', image: { ...input.image, kernel: '/c/k/vmlinuz', disk: '/c/k/base.qcow2' } });

  it('q35, the overlay as VirtIO root disk, the seed read-only with its serial, NICs placed by libvirt', () => {
    const xml = domainXml(plan, 'router');
    wellFormed(xml);
    expect(xml).toContain("<type arch='x86_64' machine='q35'>hvm</type>");
    expect(xml).toContain("<source file='/tmp/a&amp;b&apos;s lab/router/disk.qcow2'/>");
    expect(xml).toMatch(/<source file='[^']*router\/seed\.tar'\/>\n\s*<target dev='vdb' bus='virtio'\/>\n\s*<serial>vmlab-seed<\/serial>\n\s*<readonly\/>/);
    expect(xml).toContain('<cmdline>root=LABEL=vmlab-root ro console=ttyS0 panic=-1 no_timer_check</cmdline>');
    expect(xml.match(/<interface /g)).toHaveLength(3);
    expect(xml).not.toContain("<address type='pci'");
  });
});
