import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { ParseError } from './parse-error.ts';
import { parseDomainIdentity, parseDomainList, parseDomIfAddr, parseDomIfList, parseNetworkXml } from './virsh.ts';

describe('virsh parsers', () => {
  it('reads domiflist of a stopped domain, with the model libvirt filled in', () => {
    expect(parseDomIfList(fixture('virsh/domiflist-mixed-models.txt'))).toEqual([
      { type: 'network', source: 'rlgfix-internal1', model: 'virtio', mac: '52:54:00:aa:00:01' },
      { type: 'network', source: 'rlgfix-static', model: 'e1000', mac: '52:54:00:aa:00:02' },
      { type: 'network', source: 'rlgfix-static', model: 'rtl8139', mac: '52:54:00:aa:00:03' },
    ]);
  });

  it('refuses an error instead of a table', () => {
    expect(() => parseDomIfList(fixture('virsh/domiflist-no-domain.txt'))).toThrow(ParseError);
    expect(() => parseDomIfAddr(fixture('virsh/domifaddr-not-running.txt'))).toThrow(ParseError);
  });

  it('reads a network with DHCP and a netmask, and a static one with a prefix', () => {
    expect(parseNetworkXml(fixture('virsh/net-dumpxml-dhcp.xml'))).toEqual({
      name: 'rlgfix-internal1',
      bridge: 'rlgfixbr1',
      addresses: [{ address: '10.0.1.1', prefixLength: 24, dhcp: true }],
    });
    expect(parseNetworkXml(fixture('virsh/net-dumpxml-static-prefix.xml')).addresses).toEqual([{ address: '10.0.2.1', prefixLength: 16, dhcp: false }]);
  });

  it('refuses what is not a network definition', () => {
    expect(() => parseNetworkXml(fixture('virsh/dumpxml-mixed-models.xml'))).toThrow(ParseError);
  });
});

describe('parseDomainIdentity', () => {
  it("reads the domain's UUID from virsh dumpxml; a domain without disks has none", () => {
    expect(parseDomainIdentity(fixture('virsh/dumpxml-mixed-models.xml'))).toEqual({ uuid: '220c4e3c-aa16-4856-8e50-003fa6cf1598', diskImages: [] });
  });

  it('reads each disk image file, not a cdrom', () => {
    const disks = fixture('virsh/dumpxml-mixed-models.xml').replace(
      '<devices>',
      "<devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source file='/var/lib/libvirt/images/vm1.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n    <disk type='file' device='cdrom'>\n      <source file='/tmp/debian.iso'/>\n    </disk>",
    );
    expect(parseDomainIdentity(disks).diskImages).toEqual(['/var/lib/libvirt/images/vm1.qcow2']);
    expect(() => parseDomainIdentity('error: failed to get domain')).toThrow(ParseError);
  });
});

describe('virsh list --all', () => {
  it('reads running and shut-off domains', () => {
    expect(parseDomainList(fixture('virsh/server/fourth-domain/list-all.txt'))).toEqual([
      { name: 'rlg15-vm1', state: 'running' },
      { name: 'rlg15-router', state: 'running' },
      { name: 'rlg15-vm3', state: 'running' },
      { name: 'rlg15-spare', state: 'shut off' },
    ]);
  });

  it('keeps spaces inside a name and refuses what is not a domain list', () => {
    expect(parseDomainList(' Id   Name    State\n------------------------\n -    VM 3    shut off\n')).toEqual([{ name: 'VM 3', state: 'shut off' }]);
    expect(() => parseDomainList(fixture('virsh/domiflist-mixed-models.txt'))).toThrow(ParseError);
  });
});
