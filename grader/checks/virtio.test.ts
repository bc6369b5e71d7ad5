import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/fixture.ts';
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
    expect(verdict).toMatchObject({ status: 'fail', message: 'not virtio_net: eth0 veth (ethtool only)' });
    expect(verdict.actual).toBe('eth0: driver link none, ethtool veth');
  });

  it('fails an emulated NIC even when it carries no address', () => {
    const drivers = [
      { name: 'enp1s0', linkDriver: 'virtio_net', ethtoolDriver: 'virtio_net' },
      { name: 'enp9s0', linkDriver: 'e1000', ethtoolDriver: 'e1000' },
    ];
    const verdict = evaluateVirtio(nicsToGrade(drivers, facts(['enp1s0'])), 'virtio_net', []);
    expect(verdict.message).toBe('not virtio_net: enp9s0 e1000');
  });

  it('fails when the two witnesses disagree', () => {
    const verdict = evaluateVirtio([{ name: 'ens3', linkDriver: 'virtio_net', ethtoolDriver: 'e1000' }], 'virtio_net', []);
    expect(verdict.status).toBe('fail');
  });

  it('fails when no NIC was found', () => {
    expect(evaluateVirtio([], 'virtio_net', []).status).toBe('fail');
  });
});
