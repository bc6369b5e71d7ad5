// KVM or TCG: /dev/kvm can exist and still hang guests, so a real kernel is booted under KVM once.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryRun } from '../kit/run.ts';
import type { DomainType } from './plan.ts';

export interface AccelChoice {
  domainType: DomainType;
  /** Why, in a few words (for the log and the report). */
  reason: string;
}

/** Cached per boot of this machine and per kernel; `/run` is emptied by a reboot. */
export const ACCEL_CACHE = '/run/router-lab-grader/vm-accel.json';
/** A guest kernel under working KVM panics (no root fs) within a second or two. */
export const KVM_PROBE_SECONDS = 12;

interface CachedChoice extends AccelChoice {
  bootId: string;
  /** Kernel release and boot file (`6.1.0-56-amd64 vmlinux`): a rebuilt image need not be probed again. */
  kernelId: string;
}

/** Reads the probe's serial log and exit code into a choice. Pure. */
export function judgeKvmProbe(exitCode: number | null, serial: string): AccelChoice {
  if (exitCode === 0 && /Kernel panic/.test(serial)) {
    return { domainType: 'kvm', reason: 'KVM works (a guest kernel booted under it)' };
  }
  if (exitCode === 124 || exitCode === 137) {
    return {
      domainType: 'qemu',
      reason: serial.trim() === ''
        ? `/dev/kvm exists but a guest kernel under KVM printed nothing in ${KVM_PROBE_SECONDS} s: using TCG`
        : `a guest kernel under KVM did not finish booting in ${KVM_PROBE_SECONDS} s: using TCG`,
    };
  }
  return { domainType: 'qemu', reason: `QEMU with KVM failed (exit ${exitCode}): using TCG` };
}

async function bootId(): Promise<string> {
  return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
}

/**
 * `VMLAB_ACCEL=tcg|kvm` forces a choice. Otherwise: no /dev/kvm means TCG; else `kernel` is booted
 * with QEMU `-accel kvm` (no initramfs: it panics at once), and KVM is used only if that panic
 * arrives within KVM_PROBE_SECONDS. The verdict is kept for this boot of the machine and `kernelId`.
 */
export async function chooseDomainType(kernel: string, kernelId: string): Promise<AccelChoice> {
  const forced = process.env.VMLAB_ACCEL;
  if (forced === 'tcg' || forced === 'qemu') return { domainType: 'qemu', reason: 'VMLAB_ACCEL=tcg' };
  if (forced === 'kvm') return { domainType: 'kvm', reason: 'VMLAB_ACCEL=kvm' };
  if (!existsSync('/dev/kvm')) return { domainType: 'qemu', reason: 'no /dev/kvm: using TCG' };

  const boot = await bootId();
  try {
    const cached = JSON.parse(await readFile(ACCEL_CACHE, 'utf8')) as CachedChoice;
    if (cached.bootId === boot && cached.kernelId === kernelId) {
      return { domainType: cached.domainType, reason: `${cached.reason} (probed earlier this boot)` };
    }
  } catch {
    // no cache yet
  }

  const dir = await mkdtemp(join(tmpdir(), 'vmlab-kvm-probe-'));
  try {
    const serial = join(dir, 'serial.log');
    const result = await tryRun([
      'timeout', '-k', '2', String(KVM_PROBE_SECONDS),
      'qemu-system-x86_64', '-accel', 'kvm', '-machine', 'pc', '-m', '128',
      '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
      '-kernel', kernel, '-append', 'console=ttyS0 panic=-1',
      '-serial', `file:${serial}`,
    ]);
    const choice = judgeKvmProbe(result.exitCode, await readFile(serial, 'utf8').catch(() => ''));
    await mkdir('/run/router-lab-grader', { recursive: true });
    const cached: CachedChoice = { ...choice, bootId: boot, kernelId };
    await writeFile(ACCEL_CACHE, `${JSON.stringify(cached, null, 2)}\n`);
    return choice;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
