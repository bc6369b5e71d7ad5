// Integration: real namespaces, bridges and sshd on this machine (root only).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labDown, labUp, type LabHandle } from './api.ts';
import { LabAbortedError, LabExistsError, LabUsageError } from '../kit/errors.ts';
import { VM_ROLES, type VmRole } from './plan.ts';
import { tryRun, type LocalResult } from '../kit/run.ts';
import { DEFAULT_LABS_DIR, SLOTS_DIR, slotOwner } from './state.ts';
import type { Variant } from './variants.ts';

const isRoot = process.getuid?.() === 0;
const hasTools = ['/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/ssh-keygen'].every((p) => existsSync(p));
const hasNft = existsSync('/usr/sbin/nft');
// This suite needs root and the tools .ci/run installs; where they are missing it fails, never skips.
const missing = [!isRoot && 'root', !hasTools && 'openssh-server/openssh-client', !hasNft && 'nftables'].filter(Boolean);

const prefix = `t${process.pid}`;
const labs = new Map<string, LabHandle>();
const timings: string[] = [];

async function up(suffix: string, variant: Variant = 'good'): Promise<LabHandle> {
  const started = performance.now();
  const lab = await labUp({ name: `${prefix}-${suffix}`, variant });
  timings.push(`up ${variant}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  labs.set(lab.name, lab);
  return lab;
}

async function down(lab: LabHandle): Promise<void> {
  const started = performance.now();
  await lab.down();
  timings.push(`down ${lab.variant}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  labs.delete(lab.name);
}

function ssh(lab: LabHandle, role: VmRole, command: string): Promise<LocalResult> {
  const args = [
    '-F', '/dev/null',
    '-i', lab.keyPath,
    '-o', `UserKnownHostsFile=${lab.knownHostsPath}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'ConnectTimeout=15',
    `root@${lab.addresses[role].management}`,
    command,
  ];
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ exitCode: code, signal: error?.signal ?? null, stdout, stderr });
    });
  });
}

/** Alive and not a zombie (this machine's PID 1 reaps orphans only now and then). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Runs argv inside a lab namespace, from the root namespace. */
function inNamespace(namespace: string, ...argv: string[]): Promise<LocalResult> {
  return tryRun(['ip', 'netns', 'exec', namespace, ...argv]);
}

const pingArgs = (address: string): string[] => ['ping', '-c', '2', '-W', '2', '-i', '0.2', address];

/** First hop address of `traceroute -n` output, or undefined for `*`. */
function firstHop(output: string): string | undefined {
  const line = output.split('\n').find((l) => /^\s*1\s/.test(l));
  return line?.trim().split(/\s+/)[1];
}

async function leftovers(lab: LabHandle): Promise<string[]> {
  const found: string[] = [];
  const namespaces = (await tryRun(['ip', 'netns', 'list'])).stdout;
  for (const ns of Object.values(lab.namespaces)) if (new RegExp(`^${ns}( |$)`, 'm').test(namespaces)) found.push(ns);
  const links = (await tryRun(['ip', '-o', 'link', 'show'])).stdout;
  if (links.includes(` ${lab.plan.rootLink.name}@`) || links.includes(` ${lab.plan.rootLink.name}:`)) {
    found.push(lab.plan.rootLink.name);
  }
  const processes = await tryRun(['pgrep', '-f', lab.stateDir]);
  if (processes.stdout.trim() !== '') found.push(`processes ${processes.stdout.trim().replace(/\n/g, ' ')}`);
  if (existsSync(lab.stateDir)) found.push(lab.stateDir);
  if (existsSync(join(SLOTS_DIR, String(lab.slot), 'owner'))) {
    const owner = readFileSync(join(SLOTS_DIR, String(lab.slot), 'owner'), 'utf8').trim();
    if (owner === lab.stateDir) found.push(`slot ${lab.slot}`);
  }
  return found;
}

describe('reference lab on this machine', () => {
  beforeAll(() => {
    if (missing.length > 0) throw new Error(`the reference lab needs ${missing.join(', ')} (run as root after .ci/run's apt-get line)`);
  });
  afterAll(async () => {
    for (const lab of labs.values()) await lab.down().catch(() => undefined);
    if (timings.length > 0) console.log(`reference-lab timings:\n  ${timings.join('\n  ')}`);
  });

  it('good: VM1 reaches VM3 through the router (ttl=63, router first hop) over real sshd', async () => {
    const forwardingBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
    const lab = await up('good');
    const { vm1, router, vm3 } = lab.addresses;

    const ping = await ssh(lab, 'vm1', `ping -c 2 -i 0.2 ${vm3.internal}`);
    expect(ping.exitCode, ping.stderr).toBe(0);
    expect(ping.stdout.match(/ttl=63/g)).toHaveLength(2);

    const trace = await ssh(lab, 'vm1', `traceroute -n -q 1 -w 2 ${vm3.internal}`);
    expect(trace.exitCode, trace.stderr).toBe(0);
    expect(firstHop(trace.stdout)).toBe(router.internal1);

    for (const role of VM_ROLES) {
      const result = await ssh(lab, role, 'hostname; cat /proc/sys/net/ipv4/ip_forward; cd && pwd && ls -A');
      expect(result.stdout.split('\n').slice(0, 2)).toEqual([role, role === 'router' ? '1' : '0']);
      // A home of its own with Debian's default dotfiles, whatever this machine's root has.
      expect(result.stdout.split('\n').slice(2)).toEqual(['/root', ...(existsSync('/usr/share/base-files/dot.bashrc') ? ['.bashrc', '.profile'] : []), '']);
    }
    const nics = await ssh(lab, 'router', 'ls /sys/class/net');
    expect(nics.stdout.split('\n').filter((n) => n !== '' && n !== 'lo')).toEqual(
      lab.plan.vms.router.nics.map((n) => n.name),
    );

    const inventory = parse(readFileSync(lab.inventoryPath, 'utf8'));
    expect(inventory.labs[lab.name]).toEqual({
      credentials: { keyFile: lab.keyPath },
      // The slot's generation: a later lab in the same slot makes this inventory stale.
      origin: { provider: 'netns', claim: expect.stringMatching(/\/slots\/\d+$/), generation: expect.stringMatching(/^[0-9a-f]{12}$/) },
      vm1: { address: vm1.management },
      router: { address: router.management },
      vm3: { address: vm3.management },
    });
    expect(readFileSync(lab.envPath, 'utf8')).toBe(
      `GRADER_SSH_KEY=${lab.keyPath}\nGRADER_KNOWN_HOSTS=${lab.knownHostsPath}\n`,
    );
    expect(lab.gradeCommand).toBe(`npm run grade -- --host ${lab.name} --inventory .lab/${lab.name}/inventory.yaml`);

    // The root namespace gained one veth with one address, and nothing else changed there.
    const rootAddr = await tryRun(['ip', '-4', '-o', 'addr', 'show', 'dev', lab.plan.rootLink.name]);
    expect(rootAddr.stdout).toContain(`inet ${lab.addresses.root}/24`);
    expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(forwardingBefore);

    // An iperf3 server the grader would start inside VM3 must die with the lab.
    const iperf = await ssh(lab, 'vm3', 'iperf3 -s -D -I /tmp/rlg-test-iperf.pid && sleep 0.3 && cat /tmp/rlg-test-iperf.pid');
    expect(iperf.exitCode, iperf.stderr).toBe(0);
    const iperfPid = Number(iperf.stdout.trim());
    expect(iperfPid).toBeGreaterThan(0);

    await down(lab);
    expect(await leftovers(lab)).toEqual([]);
    expect(running(iperfPid)).toBe(false);
  });

  it('builds two labs at once, in separate slots and subnets', async () => {
    const [a, b] = await Promise.all([up('pair-a'), up('pair-b')]);
    expect(a.slot).not.toBe(b.slot);
    expect(a.subnets.management).not.toBe(b.subnets.management);
    for (const lab of [a, b]) {
      const ping = await ssh(lab, 'vm1', `ping -c 2 -i 0.2 ${lab.addresses.vm3.internal}`);
      expect(ping.stdout.match(/ttl=63/g)).toHaveLength(2);
    }
    await Promise.all([down(a), down(b)]);
    expect([...(await leftovers(a)), ...(await leftovers(b))]).toEqual([]);
  });

  it('no-forwarding and via-host differ where the exercise says', async () => {
    const [noFwd, viaHost] = await Promise.all([up('nofwd', 'no-forwarding'), up('viahost', 'via-host')]);

    const routerForwarding = await inNamespace(noFwd.namespaces.router, 'cat', '/proc/sys/net/ipv4/ip_forward');
    expect(routerForwarding.stdout.trim()).toBe('0');
    const lost = await inNamespace(noFwd.namespaces.vm1, ...pingArgs(noFwd.addresses.vm3.internal));
    expect(lost.exitCode).not.toBe(0);
    expect(lost.stdout).toContain('100% packet loss');

    const hvForwarding = await inNamespace(viaHost.namespaces.hv, 'cat', '/proc/sys/net/ipv4/ip_forward');
    expect(hvForwarding.stdout.trim()).toBe('1');
    const works = await inNamespace(viaHost.namespaces.vm1, ...pingArgs(viaHost.addresses.vm3.internal));
    expect(works.exitCode, works.stdout).toBe(0);
    const trace = await inNamespace(viaHost.namespaces.vm1, 'traceroute', '-n', '-q', '1', '-w', '2', viaHost.addresses.vm3.internal);
    expect(firstHop(trace.stdout)).toBe(viaHost.addresses.hypervisor.internal1);
    expect(firstHop(trace.stdout)).not.toBe(viaHost.addresses.router.internal1);

    await Promise.all([down(noFwd), down(viaHost)]);
  });

  it.for<[Variant, (lab: LabHandle) => Promise<void>]>([
    [
      'no-route',
      async (lab) => {
        const route = await inNamespace(lab.namespaces.vm1, 'ip', 'route', 'get', lab.addresses.vm3.internal);
        expect(route.stdout).toContain(`via ${lab.addresses.hypervisor.management}`);
        expect((await inNamespace(lab.namespaces.vm1, ...pingArgs(lab.addresses.vm3.internal))).exitCode).not.toBe(0);
      },
    ],
    [
      'no-return-route',
      async (lab) => {
        const route = await inNamespace(lab.namespaces.vm3, 'ip', 'route', 'get', lab.addresses.vm1.internal);
        expect(route.stdout).toContain(`via ${lab.addresses.hypervisor.management}`);
        expect((await inNamespace(lab.namespaces.vm1, ...pingArgs(lab.addresses.vm3.internal))).exitCode).not.toBe(0);
      },
    ],
    [
      'overlapping-subnets',
      async (lab) => {
        const addr = await inNamespace(lab.namespaces.vm3, 'ip', '-4', '-o', 'addr', 'show');
        expect(addr.stdout).toContain(`inet ${lab.addresses.vm3.internal}/16`);
        expect((await inNamespace(lab.namespaces.vm1, ...pingArgs(lab.addresses.vm3.internal))).exitCode).toBe(0);
      },
    ],
    [
      'slow-link',
      async (lab) => {
        const qdisc = await tryRun(['tc', '-n', lab.namespaces.router, 'qdisc', 'show']);
        expect(qdisc.stdout.match(/qdisc tbf .* rate 20Mbit/g)).toHaveLength(2);
      },
    ],
    [
      'firewall-drop',
      async (lab) => {
        const rules = await inNamespace(lab.namespaces.router, 'nft', 'list', 'ruleset');
        expect(rules.stdout).toContain('policy drop');
        const forwarding = await inNamespace(lab.namespaces.router, 'cat', '/proc/sys/net/ipv4/ip_forward');
        expect(forwarding.stdout.trim()).toBe('1');
        expect((await inNamespace(lab.namespaces.vm1, ...pingArgs(lab.addresses.vm3.internal))).exitCode).not.toBe(0);
      },
    ],
    [
      'router-down',
      async (lab) => {
        const refused = await ssh(lab, 'router', 'true');
        expect(refused.exitCode).toBe(255);
        const ping = await ssh(lab, 'vm1', `ping -c 2 -i 0.2 ${lab.addresses.vm3.internal}`);
        expect(ping.stdout.match(/ttl=63/g)).toHaveLength(2);
      },
    ],
    [
      'no-iperf',
      async (lab) => {
        expect((await ssh(lab, 'vm3', 'command -v iperf3')).exitCode).not.toBe(0);
        expect((await ssh(lab, 'vm3', 'iperf3 --version')).exitCode).toBe(127);
        expect((await ssh(lab, 'vm1', 'command -v iperf3')).stdout.trim()).toBe('/usr/bin/iperf3');
        expect(existsSync('/usr/bin/iperf3')).toBe(true);
      },
    ],
    [
      'wrong-gateway',
      async (lab) => {
        const route = await inNamespace(lab.namespaces.vm1, 'ip', 'route', 'get', lab.addresses.vm3.internal);
        expect(route.stdout).toContain(`via ${lab.addresses.router.management}`);
        const ping = await inNamespace(lab.namespaces.vm1, ...pingArgs(lab.addresses.vm3.internal));
        expect(ping.exitCode).toBe(0);
      },
    ],
    [
      'fake-all',
      async (lab) => {
        const { router, vm3 } = lab.addresses;
        // The network is broken: the real ping (the root mount namespace's) gets nothing back.
        expect((await inNamespace(lab.namespaces.vm1, ...pingArgs(vm3.internal))).exitCode).not.toBe(0);
        // Over SSH, VM1's tools are the scripts, and they "succeed".
        const found = await ssh(lab, 'vm1', 'for t in ping traceroute iperf3; do p=$(command -v $t); echo "$p $(head -c 9 "$p")"; done');
        expect(found.stdout.trim().split('\n')).toEqual(['/usr/bin/ping #!/bin/sh', '/usr/sbin/traceroute #!/bin/sh', '/usr/bin/iperf3 #!/bin/sh']);
        const ping = await ssh(lab, 'vm1', `ping -c 2 -i 0.2 ${vm3.internal}`);
        expect(ping.exitCode).toBe(0);
        expect(ping.stdout.match(/ttl=63/g)).toHaveLength(2);
        const trace = await ssh(lab, 'vm1', `traceroute -n -q 1 -w 2 ${vm3.internal}`);
        expect(firstHop(trace.stdout)).toBe(router.internal1);
        const iperf = await ssh(lab, 'vm1', `iperf3 -J -c ${vm3.internal} -t 1`);
        expect(iperf.exitCode).toBe(0);
        expect(JSON.parse(iperf.stdout).end.sum_received.bits_per_second).toBe(900e6);
        // Only VM1's sessions see them: VM3 and this machine keep the real tools.
        expect((await ssh(lab, 'vm3', 'head -c 4 /usr/bin/iperf3 | od -An -c')).stdout).toContain('E   L   F');
        for (const path of ['/usr/bin/ping', '/usr/bin/iperf3', '/usr/bin/traceroute.db']) {
          expect(readFileSync(path).subarray(1, 4).toString(), path).toBe('ELF');
        }
      },
    ],
    [
      'fake-all-chatter',
      async (lab) => {
        const router = lab.namespaces.router;
        expect((await inNamespace(router, 'cat', '/proc/sys/net/ipv4/ip_forward')).stdout.trim()).toBe('0');
        // The background pings keep the router's internal NICs busy though it forwards nothing.
        const nics = lab.plan.vms.router.nics.filter((n) => n.network !== 'management').map((n) => n.name);
        const counters = async () =>
          Promise.all(nics.map(async (nic) => Number((await inNamespace(router, 'cat', `/sys/class/net/${nic}/statistics/tx_packets`)).stdout)));
        const before = await counters();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const after = await counters();
        after.forEach((count, i) => expect(count - before[i]!, nics[i]).toBeGreaterThanOrEqual(5));
        // ...and its own count of forwarded datagrams stays at 0.
        const snmp = (await inNamespace(router, 'cat', '/proc/net/snmp')).stdout.split('\n').filter((l) => l.startsWith('Ip: '));
        const [names, values] = snmp.map((l) => l.split(/\s+/));
        expect(values![names!.indexOf('ForwDatagrams')]).toBe('0');
        // VM1's three tools and VM3's iperf3 are scripts.
        const vm1 = await ssh(lab, 'vm1', 'for t in ping traceroute iperf3; do head -c 9 "$(command -v $t)"; echo; done');
        expect(vm1.stdout.trim().split('\n')).toEqual(['#!/bin/sh', '#!/bin/sh', '#!/bin/sh']);
        expect((await ssh(lab, 'vm3', 'head -c 9 "$(command -v iperf3)"')).stdout).toBe('#!/bin/sh');
        expect((await ssh(lab, 'vm3', 'head -c 4 "$(command -v ping)" | od -An -c')).stdout).toContain('E   L   F');
      },
    ],
  ])('%s shows its mistake', async ([variant, check]) => {
    const lab = await up(variant.replace(/-/g, ''), variant);
    try {
      await check(lab);
    } finally {
      await down(lab);
    }
    expect(await leftovers(lab)).toEqual([]);
  });

  it('refuses a second up of the same name and leaves the first lab alone', async () => {
    const lab = await up('dup');
    await expect(labUp({ name: lab.name })).rejects.toBeInstanceOf(LabExistsError);
    const ping = await ssh(lab, 'vm1', `ping -c 1 ${lab.addresses.vm3.internal}`);
    expect(ping.exitCode).toBe(0);
    await down(lab);
  });

  it('tears down what it built when up is interrupted half way', async () => {
    const controller = new AbortController();
    let commands = 0;
    let slot: number | undefined;
    const name = `${prefix}-abort`;
    const attempt = labUp({
      name,
      signal: controller.signal,
      verbose: true,
      log: (line) => {
        const claimed = /^slot (\d+):/.exec(line);
        if (claimed) slot = Number(claimed[1]);
        if (line.startsWith('+ ') && ++commands === 30) controller.abort();
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(LabAbortedError);
    expect(commands).toBe(30);
    expect(slot).toBeDefined();
    expect(existsSync(join(DEFAULT_LABS_DIR, name))).toBe(false);
    // Unless another lab already took the slot again, nothing of it is left.
    if ((await slotOwner(slot!)) === undefined) {
      const namespaces = (await tryRun(['ip', 'netns', 'list'])).stdout;
      expect(namespaces).not.toMatch(new RegExp(`^rlg-${slot}-`, 'm'));
      expect((await tryRun(['ip', 'link', 'show', 'dev', `rlg-${slot}-mgmt`])).exitCode).not.toBe(0);
    }
    await expect(labDown(name)).rejects.toThrow(/no lab/);
  });

  it('rejects an unknown variant and a bad name before touching anything', async () => {
    await expect(labUp({ name: `${prefix}-x`, variant: 'typo' })).rejects.toBeInstanceOf(LabUsageError);
    await expect(labUp({ name: 'Not_Valid' })).rejects.toBeInstanceOf(LabUsageError);
  });
});
