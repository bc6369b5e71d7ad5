// The guest image: the cached base (built by image/build.sh) and each VM's key archive on top.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from './errors.ts';
import { tryRun } from '../reference-lab/run.ts';
import { gzippedCpio, type CpioEntry } from './cpio.ts';
import type { GuestImage } from './plan.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const BUILD_SCRIPT = join(HERE, 'image', 'build.sh');
/** `.cache/vm-image/` of this checkout (gitignored). */
export const DEFAULT_IMAGE_CACHE = resolve(HERE, '..', '.cache', 'vm-image');

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

/** Builds the base image unless the cache has it (same package versions and scripts); returns it. */
export async function ensureImage(cacheDir = DEFAULT_IMAGE_CACHE): Promise<GuestImage & { manifest: ImageManifest }> {
  const result = await tryRun(['bash', BUILD_SCRIPT, '--cache-dir', cacheDir]);
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new LabError(`guest image build failed: ${detail || `exit ${result.exitCode}`}`);
  }
  const dir = result.stdout.trim().split('\n').pop() ?? '';
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ImageManifest;
  return { dir, key: manifest.key, kernel: join(dir, manifest.bootKernel), initrd: join(dir, 'initrd.img'), manifest };
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
