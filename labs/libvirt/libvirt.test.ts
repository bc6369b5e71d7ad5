import { describe, expect, it } from 'vitest';
import { qemuConfWithRoot } from './libvirt.ts';

describe('qemuConfWithRoot', () => {
  it('creates the two settings in an empty or missing file', () => {
    expect(qemuConfWithRoot('')).toBe('user = "root"\ngroup = "root"\n');
  });

  it('replaces set values, keeps comments and other settings', () => {
    const conf = '# user = "libvirt-qemu"\nuser = "libvirt-qemu"\nvnc_listen = "0.0.0.0"\n  group="kvm"\n';
    expect(qemuConfWithRoot(conf)).toBe('# user = "libvirt-qemu"\nuser = "root"\nvnc_listen = "0.0.0.0"\ngroup = "root"\n');
  });

  it('changes nothing when both are already root', () => {
    const conf = 'user = "root"\ngroup = "root"\n';
    expect(qemuConfWithRoot(conf)).toBe(conf);
  });
});
