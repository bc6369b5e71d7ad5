import { describe, expect, it } from 'vitest';
import { fixture as recorded } from '../../test/support/test-files.ts';
import { parseDriverLink, parseEthtoolDriver } from './ethtool.ts';

const fixture = (name: string) => recorded(`ethtool/${name}`);

describe('parseEthtoolDriver', () => {
  it('reads the driver of a VirtIO NIC and of a veth', () => {
    expect(parseEthtoolDriver(fixture('ethtool-i-virtio.txt'))).toBe('virtio_net');
    expect(parseEthtoolDriver(fixture('ethtool-i-veth.txt'))).toBe('veth');
  });

  it('is undefined when ethtool could not tell', () => {
    expect(parseEthtoolDriver(fixture('ethtool-i-lo.txt'))).toBeUndefined();
    expect(parseEthtoolDriver('')).toBeUndefined();
  });
});

describe('parseDriverLink', () => {
  it('reads the basename of the driver link', () => {
    expect(parseDriverLink(fixture('readlink-virtio.txt'))).toBe('virtio_net');
  });

  it('is undefined for a veth, which has no device link', () => {
    expect(parseDriverLink(fixture('readlink-veth.txt'))).toBeUndefined();
  });

  it('skips lines a .bashrc printed before the link', () => {
    expect(parseDriverLink(`Welcome to vm1 (managed by the networking course)\n${fixture('readlink-virtio.txt')}`)).toBe('virtio_net');
  });
});
