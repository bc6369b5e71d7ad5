// The guest image: the cached base (built by image/build.sh) and each VM's key archive on top.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from './errors.ts';
import { tryRun } from '../kit/run.ts';
import { gzippedCpio, type CpioEntry } from './cpio.ts';
import type { GuestImage } from './plan.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const BUILD_SCRIPT = join(HERE, 'image', 'build.sh');
export const DEBIAN_BUILD_SCRIPT = join(HERE, 'image', 'build-debian.sh');
/** `.cache/vm-image/` of this checkout (gitignored). */
export const DEFAULT_IMAGE_CACHE = resolve(HERE, '..', '..', '.cache', 'vm-image');

export interface ImageManifest {
  key: string;
  kernelRelease: string;
  /** The file domains boot: `vmlinux` (ELF, PVH entry) or `vmlinuz` (bzImage). */
  bootKernel: 'vmlinux' | 'vmlinuz';
  packages: Record<string, string>;
  modules: string[];
  vmlinuzBytes: number;
  initrdBytes: number;
  buildSeconds: number;
  builtAt: string;
}

/** The Debian 12 image's manifest.json (image/build-debian.sh). */
export interface DebianImageManifest {
  key: string;
  suite: string;
  /** /etc/debian_version of the guest, e.g. `12.12`. */
  debianVersion: string;
  mirror: string;
  kernelRelease: string;
  rootLabel: string;
  packages: Record<string, string>;
  rootfsBytes: number;
  qcow2Bytes: number;
  diskVirtualBytes: number;
  vmlinuzBytes: number;
  initrdBytes: number;
  debootstrapSeconds: number;
  buildSeconds: number;
  builtAt: string;
}

async function runBuild(script: string, cacheDir: string): Promise<string> {
  const result = await tryRun(['bash', script, '--cache-dir', cacheDir]);
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new LabError(`guest image build failed: ${detail || `exit ${result.exitCode}`}`);
  }
  return result.stdout.trim().split('\n').pop() ?? '';
}

/** Builds the BusyBox image unless the cache has it (same package versions and scripts); returns it. */
export async function ensureImage(cacheDir = DEFAULT_IMAGE_CACHE): Promise<GuestImage & { manifest: ImageManifest }> {
  const dir = await runBuild(BUILD_SCRIPT, cacheDir);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ImageManifest;
  return { dir, key: manifest.key, kernel: join(dir, manifest.bootKernel), initrd: join(dir, 'initrd.img'), manifest };
}

/** Builds the Debian 12 image (debootstrap, minutes) unless the cache has it; returns it. */
export async function ensureDebianImage(cacheDir = DEFAULT_IMAGE_CACHE): Promise<GuestImage & { manifest: DebianImageManifest }> {
  const dir = await runBuild(DEBIAN_BUILD_SCRIPT, cacheDir);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DebianImageManifest;
  return { dir, key: manifest.key, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), disk: join(dir, 'base.qcow2'), manifest };
}

/** The files a VM's key archive holds: the grader's public key for root, and the host key. */
export function keyArchiveEntries(authorizedKey: string, hostKey: Buffer): CpioEntry[] {
  return [
    { path: 'root', type: 'directory', mode: 0o700 },
    { path: 'root/.ssh', type: 'directory', mode: 0o700 },
    { path: 'root/.ssh/authorized_keys', type: 'file', mode: 0o600, data: `${authorizedKey.trim()}\n` },
    { path: 'etc', type: 'directory', mode: 0o755 },
    { path: 'etc/dropbear', type: 'directory', mode: 0o755 },
    { path: 'etc/dropbear/dropbear_ed25519_host_key', type: 'file', mode: 0o600, data: hostKey },
  ];
}

/** Writes `out`: the base initramfs followed by the VM's gzipped key archive. */
export async function writeVmInitrd(baseInitrd: string, authorizedKey: string, hostKeyPath: string, out: string): Promise<void> {
  const [base, hostKey] = await Promise.all([readFile(baseInitrd), readFile(hostKeyPath)]);
  await writeFile(out, Buffer.concat([base, gzippedCpio(keyArchiveEntries(authorizedKey, hostKey))]), { mode: 0o600 });
}
