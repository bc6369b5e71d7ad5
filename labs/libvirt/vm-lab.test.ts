// Integration: real libvirt networks and QEMU VMs on this machine (root only; TCG takes ~30 s a lab).
// BusyBox guests (fast); the Debian guests are proven in test/e2e/vm-lab.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import type { RemoteHost } from '../../grader/transport/remote-host.ts';
import { connectHost } from '../../grader/transport/ssh-host.ts';
import { tryRun } from '../kit/run.ts';
import { vmLabDown, vmLabUp, type VmLabHandle } from './api.ts';
import { LabAbortedError } from './errors.ts';
import { domainUuid, missingLibvirtPackages, networkUuid, virsh } from './libvirt.ts';
import { NETWORK_ROLES, NIC_DRIVERS, VM_NETWORKS, VM_ROLES, type NicModel, type VmRole } from './plan.ts';
import { slotOwner, VM_SLOTS_DIR } from './state.ts';

const isRoot = process.getuid?.() === 0;
const tools: [string, string][] = [
  ['/usr/bin/ssh', 'openssh-client'],
  ['/usr/bin/ssh-keygen', 'openssh-client'],
  ['/usr/bin/dropbearkey', 'dropbear-bin'],
  ['/usr/sbin/dropbear', 'dropbear-bin'],
  ['/usr/bin/cpio', 'cpio'],
  ['/usr/bin/busybox', 'busybox'],
  ['/usr/bin/iperf3', 'iperf3'],
  ['/usr/bin/traceroute.db', 'traceroute'],
  ['/usr/bin/ping', 'iputils-ping'],
  ['/usr/sbin/ethtool', 'ethtool'],
];
// Needs root and the packages of the report's apt line; where they are missing it fails, never skips.
const missing = [
  ...(isRoot ? [] : ['root']),
  ...new Set([...tools.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg), ...missingLibvirtPackages()]),
];

const prefix = `vt${process.pid % 100000}`;
const labs = new Map<string, VmLabHandle>();
const timings: string[] = [];
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function up(nic: NicModel): Promise<VmLabHandle> {
  const started = performance.now();
  const lab = await vmLabUp({ name: `${prefix}-${nic}`, nic, guest: 'busybox' });
  labs.set(lab.name, lab);
  const t = lab.timings;
  timings.push(
    `up ${nic}: ${seconds(performance.now() - started)} (image ${seconds(t.imageMs)}, boot to DHCP ${seconds(t.bootMs)}, SSH ${seconds(t.sshMs)}; ${lab.domainType}: ${lab.accelReason})`,
  );
  return lab;
}

async function down(lab: VmLabHandle): Promise<void> {
  const started = performance.now();
  await lab.down();
  timings.push(`down ${lab.nic}: ${seconds(performance.now() - started)}`);
  labs.delete(lab.name);
}

/** The grader's own transport, with the lab's key and a strict known_hosts. */
async function connect(lab: VmLabHandle, role: VmRole): Promise<RemoteHost> {
  return connectHost({
    role,
    endpoint: { host: lab.addresses[role].management, port: 22, user: 'root' },
    credentials: { privateKey: await readFile(lab.keyPath) },
    knownHosts: await KnownHosts.load(lab.knownHostsPath),
    hostKeyPolicy: 'strict',
    readyTimeoutMs: 20_000,
  });
}

/** Whatever of the lab is still on this machine (domains, networks, bridges, state dir, slot). */
async function leftovers(lab: VmLabHandle): Promise<string[]> {
  const found: string[] = [];
  for (const role of VM_ROLES) if ((await domainUuid(lab.domains[role])) !== undefined) found.push(`domain ${lab.domains[role]}`);
  for (const role of NETWORK_ROLES) {
    const network = lab.networks[role];
    if ((await networkUuid(network.name)) !== undefined) found.push(`network ${network.name}`);
    if ((await tryRun(['ip', 'link', 'show', 'dev', network.bridge])).exitCode === 0) found.push(`bridge ${network.bridge}`);
  }
  if (existsSync(lab.stateDir)) found.push(lab.stateDir);
  if ((await slotOwner(lab.slot)) === lab.stateDir) found.push(`${VM_SLOTS_DIR}/${lab.slot}`);
  return found;
}

describe('VM lab on this machine (libvirt/QEMU)', () => {
  beforeAll(() => {
    if (missing.length > 0) {
      throw new Error(`the VM lab needs ${missing.join(', ')} (as root: apt-get install -y --no-install-recommends ...)`);
    }
  });
  afterAll(async () => {
    for (const lab of labs.values()) await lab.down().catch(() => undefined);
    if (timings.length > 0) console.log(`vm-lab timings:\n  ${timings.join('\n  ')}`);
  });

  it.for(['virtio', 'e1000'] as const)(
    '%s: NICs of that driver, VM1 pings VM3 through the router (ttl=63), torn down without a trace',
    { timeout: 420_000 },
    async (nic) => {
      const forwardingBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
      const lab = await up(nic);
      const hosts: RemoteHost[] = [];
      try {
        const [vm1, router, vm3] = await Promise.all(VM_ROLES.map((role) => connect(lab, role)));
        hosts.push(vm1!, router!, vm3!);
        const byRole: Record<VmRole, RemoteHost> = { vm1: vm1!, router: router!, vm3: vm3! };
        for (const role of VM_ROLES) {
          const eth0 = await byRole[role].run('hostname; readlink /sys/class/net/eth0/device/driver; ip -4 -o addr show dev eth0');
          const [hostname, driver, address] = eth0.stdout.split('\n');
          expect(hostname).toBe(role);
          expect(driver).toMatch(new RegExp(`/${NIC_DRIVERS[nic]}$`));
          expect(address).toContain(` ${lab.addresses[role].management}/24 `);
          const all = await byRole[role].run('for n in /sys/class/net/eth*; do readlink "$n/device/driver"; done');
          const drivers = all.stdout.trim().split('\n');
          expect(drivers).toHaveLength(VM_NETWORKS[role].length);
          for (const line of drivers) expect(line).toMatch(new RegExp(`/${NIC_DRIVERS[nic]}$`));
        }

        const ping = await vm1!.run(`ping -c 3 -i 0.3 -W 3 ${lab.addresses.vm3.internal}`, { timeoutMs: 30_000 });
        expect(ping.exitCode, ping.stdout + ping.stderr).toBe(0);
        expect(ping.stdout.match(/ttl=63/g)).toHaveLength(3);
        const trace = await vm1!.run(`traceroute -n -q 1 -w 2 ${lab.addresses.vm3.internal}`, { timeoutMs: 30_000 });
        expect(trace.stdout).toMatch(new RegExp(`^ 1 +${lab.addresses.router.internal1.replace(/\./g, '\\.')} `, 'm'));
        expect((await router!.run('cat /proc/sys/net/ipv4/ip_forward')).stdout.trim()).toBe('1');

        const dumpxml = await virsh(['dumpxml', lab.domains.router]);
        expect(dumpxml.stdout.match(new RegExp(`<model type='${nic}'/>`, 'g'))).toHaveLength(3);
        expect(dumpxml.stdout).toContain(`<domain type='${lab.domainType}'`);

        const inventory = parse(readFileSync(lab.inventoryPath, 'utf8'));
        expect(inventory).toEqual({
          defaults: { user: 'root', port: 22 },
          labs: {
            [lab.name]: {
              credentials: { keyFile: lab.keyPath },
              // The slot's generation: a later lab in the same slot makes this inventory stale.
              origin: { provider: 'libvirt', claim: expect.any(String), generation: expect.stringMatching(/^[0-9a-f]{12}$/) },
              vm1: { address: lab.addresses.vm1.management },
              router: { address: lab.addresses.router.management },
              vm3: { address: lab.addresses.vm3.management },
            },
          },
        });
        expect(readFileSync(lab.envPath, 'utf8')).toBe(`GRADER_SSH_KEY=${lab.keyPath}\nGRADER_KNOWN_HOSTS=${lab.knownHostsPath}\n`);
        expect(readFileSync(lab.knownHostsPath, 'utf8').trim().split('\n')).toHaveLength(3);
        expect(lab.gradeCommand).toBe(`npm run grade -- --host ${lab.name} --inventory .lab/${lab.name}/inventory.yaml`);
        // The machine's own forwarding setting is untouched (libvirt isolated networks do not need it).
        expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(forwardingBefore);
      } finally {
        await Promise.allSettled(hosts.map((host) => host.close()));
        await down(lab);
      }
      expect(await leftovers(lab)).toEqual([]);
    },
  );

  it("down refuses a reference lab's directory and leaves it alone", async () => {
    const labsDir = await mkdtemp(join(tmpdir(), 'vmlab-down-'));
    try {
      await mkdir(join(labsDir, 'ref'));
      await writeFile(join(labsDir, 'ref', 'state.json'), '{"slot": 0, "variant": "good"}\n');
      await expect(vmLabDown('ref', { labsDir })).rejects.toThrow("'ref' is a reference lab, not a VM lab: npm run lab -- down --name ref");
      expect(existsSync(join(labsDir, 'ref', 'state.json'))).toBe(true);
    } finally {
      await rm(labsDir, { recursive: true, force: true });
    }
  });

  it.for(['busybox', 'debian'] as const)('%s: an up interrupted once the VMs run leaves nothing behind (domains, networks, overlays, slot)', { timeout: 1_200_000 }, async (guest) => {
    const controller = new AbortController();
    const name = `${prefix}-abort-${guest}`;
    const slotsBefore = existsSync(VM_SLOTS_DIR) ? (await readdir(VM_SLOTS_DIR)).filter((e) => /^\d+$/.test(e)) : [];
    const error = await vmLabUp({
      name,
      guest,
      log: (line) => {
        if (line.startsWith('domains ')) controller.abort();
      },
      signal: controller.signal,
    }).then(
      (lab) => {
        labs.set(lab.name, lab);
        return new Error('up finished');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LabAbortedError);
    expect((await virsh(['list', '--all', '--name'])).stdout).not.toContain(`${name}-`);
    expect((await virsh(['net-list', '--all', '--name'])).stdout).not.toContain(`${name}-`);
    expect(existsSync(join(import.meta.dirname, '..', '..', '.lab', name))).toBe(false);
    const slotsAfter = existsSync(VM_SLOTS_DIR) ? (await readdir(VM_SLOTS_DIR)).filter((e) => /^\d+$/.test(e)) : [];
    for (const slot of slotsAfter.filter((s) => !slotsBefore.includes(s))) expect(await slotOwner(Number(slot))).not.toContain(name);
  });
});
