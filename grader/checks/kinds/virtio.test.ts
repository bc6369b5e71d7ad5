import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/support/test-files.ts';
import { parseDomIfList } from '../../parse/virsh.ts';
import { matchModels } from '../nic-model.ts';
import { evaluateVirtio, nicsToGrade, parseNicDrivers } from './virtio.ts';

// The probe's output assembled from recorded pieces: readlink and ethtool -i for each NIC.
const probe = (nics: Array<[string, string, string]>) =>
  nics.map(([name, link, ethtool]) => `@@nic ${name}\nlink: ${fixture(`ethtool/${link}`).trim()}\n${fixture(`ethtool/${ethtool}`)}`).join('');

const facts = (names: string[]) => ({ management: { name: names[0]!, addresses: [] }, internal: names.slice(1).map((name) => ({ name, addresses: [] })) });

describe('the virtio check', () => {
  it('passes when every NIC has the virtio_net driver link and ethtool agrees', () => {
    const nics = nicsToGrade(parseNicDrivers(probe([['enp1s0', 'readlink-virtio.txt', 'ethtool-i-virtio.txt'], ['enp7s0', 'readlink-virtio.txt', 'ethtool-i-virtio.txt']])), facts(['enp1s0', 'enp7s0']));
    expect(nics.map((n) => n.name)).toEqual(['enp1s0', 'enp7s0']);
    expect(evaluateVirtio(nics, 'virtio_net', [])).toMatchObject({ status: 'pass', message: 'enp1s0, enp7s0: virtio_net' });
  });

  it('fails a veth (no device link) with the evidence, never a pass', () => {
    const nics = nicsToGrade(parseNicDrivers(probe([['lo', 'readlink-veth.txt', 'ethtool-i-lo.txt'], ['eth0', 'readlink-veth.txt', 'ethtool-i-veth.txt']])), facts(['eth0']));
    expect(nics).toEqual([{ name: 'eth0', linkDriver: undefined, ethtoolDriver: 'veth' }]);
    const verdict = evaluateVirtio(nics, 'virtio_net', []);
    // In the exercise's words: which driver, what VirtIO is called, and how much was seen.
    expect(verdict).toMatchObject({ status: 'fail', message: 'eth0 uses the veth driver, not VirtIO (virtio_net); seen by ethtool only, the hypervisor was not asked' });
    expect(verdict.actual).toBe('eth0: driver link none, ethtool veth');
  });

  it('fails an emulated NIC even when it carries no address', () => {
    const drivers = [
      { name: 'enp1s0', linkDriver: 'virtio_net', ethtoolDriver: 'virtio_net' },
      { name: 'enp9s0', linkDriver: 'e1000', ethtoolDriver: 'e1000' },
    ];
    const verdict = evaluateVirtio(nicsToGrade(drivers, facts(['enp1s0'])), 'virtio_net', []);
    expect(verdict.message).toBe('enp9s0 uses the e1000 driver, not VirtIO (virtio_net)');
  });

  it('fails when the two witnesses disagree', () => {
    const verdict = evaluateVirtio([{ name: 'ens3', linkDriver: 'virtio_net', ethtoolDriver: 'e1000' }], 'virtio_net', []);
    expect(verdict).toMatchObject({ status: 'fail', message: 'ens3: ethtool says e1000 although its device link says virtio_net, not VirtIO (virtio_net) throughout' });
  });

  it('fails when no NIC was found', () => {
    expect(evaluateVirtio([], 'virtio_net', []).status).toBe('fail');
  });
});

describe('the domain XML as third witness', () => {
  const guest = [
    { name: 'enp1s0', mac: '52:54:00:aa:00:01', addresses: [] },
    { name: 'enp7s0', mac: '52:54:00:aa:00:02', addresses: [] },
  ];
  const domain = parseDomIfList(fixture('virsh/domiflist-mixed-models.txt'));

  it('matches guest NICs to domain interfaces by MAC and lists the ones the guest does not show', () => {
    const nics = [{ name: 'enp1s0', linkDriver: 'virtio_net' }, { name: 'enp7s0', linkDriver: 'e1000' }];
    const { nics: matched, unseen } = matchModels(nics, guest, domain);
    expect(matched.map((n) => n.model)).toEqual(['virtio', 'e1000']);
    expect(unseen.map((d) => d.mac)).toEqual(['52:54:00:aa:00:03']);
  });

  it('fails emulated NICs with every witness in the evidence', () => {
    const verdict = evaluateVirtio([{ name: 'ens3', linkDriver: 'e1000', ethtoolDriver: 'e1000', model: 'e1000' }], 'virtio_net', []);
    expect(verdict.message).toBe('ens3 uses the e1000 driver, not VirtIO (virtio_net)');
    expect(verdict.actual).toBe('ens3: driver link e1000, ethtool e1000, domain XML e1000');
  });

  it('reports a guest and a domain XML that contradict each other, both ways', () => {
    const claimsVirtio = evaluateVirtio([{ name: 'ens3', linkDriver: 'virtio_net', ethtoolDriver: 'virtio_net', model: 'e1000' }], 'virtio_net', []);
    expect(claimsVirtio).toMatchObject({ status: 'fail', message: expect.stringMatching(/^inconsistent: ens3 has driver virtio_net in the guest but model e1000 in the domain XML/) });
    const claimsE1000 = evaluateVirtio([{ name: 'ens3', linkDriver: 'e1000', model: 'virtio' }], 'virtio_net', []);
    expect(claimsE1000.message).toMatch(/^inconsistent: ens3 has driver e1000 in the guest but model virtio/);
  });

  it('names a NIC only the domain XML shows, and a veth the hypervisor does not list', () => {
    const unseen = evaluateVirtio([{ name: '52:54:00:aa:00:03 (not seen in the guest)', model: 'rtl8139' }], 'virtio_net', []);
    expect(unseen.message).toBe('52:54:00:aa:00:03 (not seen in the guest) has model rtl8139 in the domain XML, not VirtIO (virtio)');
    const veth = evaluateVirtio([{ name: 'eth0', ethtoolDriver: 'veth' }, { name: 'eth1', linkDriver: 'virtio_net', ethtoolDriver: 'virtio_net', model: 'virtio' }], 'virtio_net', []);
    expect(veth.message).toBe("eth0 uses the veth driver, not VirtIO (virtio_net); seen by ethtool only, the hypervisor's domain XML does not list it");
  });

  it('names NICs alike together: one sentence for the three veths of a namespace router', () => {
    const veths = ['ens3', 'ens4', 'ens5'].map((name) => ({ name, ethtoolDriver: 'veth' }));
    expect(evaluateVirtio(veths, 'virtio_net', []).message).toBe('ens3, ens4, ens5 use the veth driver, not VirtIO (virtio_net); seen by ethtool only, the hypervisor was not asked');
  });

  it('passes when all three witnesses say virtio', () => {
    expect(evaluateVirtio([{ name: 'ens3', linkDriver: 'virtio_net', ethtoolDriver: 'virtio_net', model: 'virtio' }], 'virtio_net', []).status).toBe('pass');
  });
});
