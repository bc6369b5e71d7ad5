// The guest image: the cached base (built by image/build.sh) and each VM's key archive on top.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from './errors.ts';
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

/** A line of an image build's progress (the build script's stderr), as it comes. */
export type BuildProgress = (line: string) => void;

/**
 * Runs an image build script, handing each line it writes on stderr to `progress` as it comes
 * (the first Debian build takes minutes: its steps and a debootstrap ticker are shown live).
 */
export function runImageScript(argv: readonly string[], progress?: BuildProgress): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) progress?.(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (partial.trim()) progress?.(partial);
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}

/** How often a running build says it is still at work, between its own steps. */
export const BUILD_TICK_MS = 15_000;

async function runBuild(script: string, cacheDir: string, progress?: BuildProgress): Promise<string> {
  const started = Date.now();
  // debootstrap alone is minutes without a line: say the build is alive, and for how long.
  const ticker = progress ? setInterval(() => progress(`image build: ${Math.round((Date.now() - started) / 1000)} s so far`), BUILD_TICK_MS) : undefined;
  const result = await runImageScript(['bash', script, '--cache-dir', cacheDir], progress).finally(() => clearInterval(ticker));
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ');
    throw new LabError(`guest image build failed: ${detail || `exit ${result.exitCode}`}`);
  }
  return result.stdout.trim().split('\n').pop() ?? '';
}

/** Builds the BusyBox image unless the cache has it (same package versions and scripts); returns it. */
export async function ensureImage(cacheDir = DEFAULT_IMAGE_CACHE, progress?: BuildProgress): Promise<GuestImage & { manifest: ImageManifest }> {
  const dir = await runBuild(BUILD_SCRIPT, cacheDir, progress);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ImageManifest;
  return { dir, key: manifest.key, kernel: join(dir, manifest.bootKernel), initrd: join(dir, 'initrd.img'), manifest };
}

/** Builds the Debian 12 image (debootstrap, minutes) unless the cache has it; returns it. */
export async function ensureDebianImage(cacheDir = DEFAULT_IMAGE_CACHE, progress?: BuildProgress): Promise<GuestImage & { manifest: DebianImageManifest }> {
  const dir = await runBuild(DEBIAN_BUILD_SCRIPT, cacheDir, progress);
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
