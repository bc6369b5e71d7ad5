import { describe, expect, it } from 'vitest';
import { judgeKvmProbe } from './accel.ts';

describe('judgeKvmProbe', () => {
  it('KVM when the guest kernel reached its panic and QEMU exited', () => {
    expect(judgeKvmProbe(0, '[ 0.9] Kernel panic - not syncing: VFS: Unable to mount root fs').domainType).toBe('kvm');
  });

  it('TCG when the guest under KVM printed nothing before the deadline (this machine)', () => {
    expect(judgeKvmProbe(124, '')).toEqual({
      domainType: 'qemu',
      reason: '/dev/kvm exists but a guest kernel under KVM printed nothing in 12 s: using TCG',
    });
    expect(judgeKvmProbe(137, '[ 0.1] Linux version 6.1').reason).toMatch(/did not finish booting/);
  });

  it('TCG when QEMU could not use KVM at all', () => {
    expect(judgeKvmProbe(1, '')).toEqual({ domainType: 'qemu', reason: 'QEMU with KVM failed (exit 1): using TCG' });
    expect(judgeKvmProbe(0, 'no panic line').domainType).toBe('qemu');
  });
});
