import { describe, expect, it } from 'vitest';
import { parseSubnet, subnetContains, subnetsOverlap } from '../../grader/core/ipv4.ts';
import { subnetCollision } from '../kit/root-subnet.ts';
import {
  FAKE_TOOL_DIRS,
  isLabName,
  linkNamesIn,
  MAX_SLOTS,
  planLab,
  VM_ROLES,
  type LabPlan,
  type Step,
} from './plan.ts';
import type { FakeableTool } from './fake-tools.ts';
import { CHATTER_COMMAND, FIREWALL_DROP_RULESET, lossyRuleset } from './steps.ts';
import { CHATTER_INTERVAL_SECONDS, SLOW_LINK_RATE, VARIANTS, type Variant } from './variants.ts';

const plan = (slot: number, variant: Variant = 'good', name = 'demo'): LabPlan =>
  planLab({ name, slot, variant, stateDir: `/srv/checkout/.lab/${name}` });

const commands = (steps: Step[]): string[] => steps.map((step) => step.argv.join(' '));

/** Steps of `variant` that `good` has not, and steps of `good` that `variant` lost. */
function stepDiff(slot: number, variant: Variant): { added: string[]; removed: string[] } {
  const good = commands(plan(slot).steps);
  const other = commands(plan(slot, variant).steps);
  return { added: other.filter((c) => !good.includes(c)), removed: good.filter((c) => !other.includes(c)) };
}

describe('planLab: names and addresses of one lab', () => {
  const p = plan(0);

  it('names namespaces rlg-<slot>-<machine> and the root veth rlg-<slot>-mgmt', () => {
    expect(p.namespaces).toEqual({ hv: 'rlg-0-hv', vm1: 'rlg-0-vm1', router: 'rlg-0-router', vm3: 'rlg-0-vm3' });
    expect(p.rootLink).toMatchObject({ name: 'rlg-0-mgmt', peer: 'vnet-root', address: '10.122.0.254', prefix: 24 });
  });

  it('gives the hypervisor .1 on every bridge, like libvirt', () => {
    expect(p.subnets).toEqual({ management: '10.122.0.0/24', internal1: '10.10.1.0/24', internal2: '10.10.2.0/24' });
    expect(p.addresses.hypervisor).toEqual({ management: '10.122.0.1', internal1: '10.10.1.1', internal2: '10.10.2.1' });
    expect(p.bridges).toEqual({ management: 'virbr0', internal1: 'virbr1', internal2: 'virbr2' });
  });

  it('puts each VM NIC on its network, with a DHCP-range address inside that subnet', () => {
    expect(p.vms.vm1.nics.map((n) => [n.name, n.network])).toEqual([['enp1s0', 'management'], ['enp7s0', 'internal1']]);
    expect(p.vms.router.nics.map((n) => [n.name, n.network])).toEqual([
      ['ens3', 'management'],
      ['ens4', 'internal1'],
      ['ens5', 'internal2'],
    ]);
    expect(p.vms.vm3.nics.map((n) => [n.name, n.network])).toEqual([['eth0', 'management'], ['eth1', 'internal2']]);
    const all: string[] = [];
    for (const role of VM_ROLES) {
      for (const nic of p.vms[role].nics) {
        expect(subnetContains(parseSubnet(p.subnets[nic.network]), nic.address)).toBe(true);
        const host = Number(nic.address.split('.')[3]);
        expect(host).toBeGreaterThanOrEqual(2);
        expect(host).toBeLessThanOrEqual(253);
        expect(nic.mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
        all.push(nic.address);
      }
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('exposes the addresses the grader and tests need', () => {
    expect(p.addresses.vm1.management).toBe(p.vms.vm1.nics[0]!.address);
    expect(p.addresses.vm1.internal).toBe(p.vms.vm1.nics[1]!.address);
    expect(p.addresses.router.internal2).toBe(p.vms.router.nics[2]!.address);
    expect(p.addresses.vm3.internal).toBe(p.vms.vm3.nics[1]!.address);
  });

  it('routes each VM by default via the hypervisor, and VM1/VM3 to each other via the router', () => {
    expect(p.vms.vm1.routes).toEqual([
      { to: 'default', via: '10.122.0.1' },
      { to: '10.10.2.0/24', via: p.addresses.router.internal1 },
    ]);
    expect(p.vms.vm3.routes).toEqual([
      { to: 'default', via: '10.122.0.1' },
      { to: '10.10.1.0/24', via: p.addresses.router.internal2 },
    ]);
    expect(p.vms.router.routes).toEqual([{ to: 'default', via: '10.122.0.1' }]);
  });

  it('enables forwarding only in the router namespace', () => {
    expect(p.vms.router.forwarding).toBe(true);
    expect(p.vms.vm1.forwarding).toBe(false);
    expect(p.vms.vm3.forwarding).toBe(false);
    expect(p.hypervisorForwarding).toBe(false);
    const sysctls = commands(p.steps).filter((c) => c.includes('sysctl'));
    expect(sysctls).toEqual([
      'ip netns exec rlg-0-hv sysctl -q -w net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2',
      'ip netns exec rlg-0-vm1 sysctl -q -w net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2',
      'ip netns exec rlg-0-router sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2',
      'ip netns exec rlg-0-vm3 sysctl -q -w net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2',
    ]);
  });

  it('touches the root namespace only to add its veth end and that one address', () => {
    const rootCommands = p.steps
      .map((s) => s.argv)
      .filter((argv) => argv[0] === 'ip' && argv[1] !== '-n' && argv[1] !== 'netns')
      .map((argv) => argv.join(' '));
    expect(rootCommands).toEqual([
      'ip link add rlg-0-mgmt type veth peer name vnet-root netns rlg-0-hv',
      'ip link set rlg-0-mgmt addrgenmode none',
      'ip addr add 10.122.0.254/24 dev rlg-0-mgmt',
      'ip link set rlg-0-mgmt up',
    ]);
    expect(p.steps.every((s) => s.argv[0] === 'ip' || s.argv[0] === 'tc')).toBe(true);
    expect(commands(p.steps).filter((c) => c.includes('sysctl')).every((c) => c.startsWith('ip netns exec rlg-0-'))).toBe(
      true,
    );
  });

  it('creates each namespace before using it', () => {
    const created = new Set<string>();
    for (const step of p.steps) {
      const [cmd, a, b, ns] = step.argv;
      if (cmd === 'ip' && a === 'netns' && b === 'add') created.add(ns!);
      const used = step.argv.flatMap((arg, i) => (['-n', 'netns', 'exec'].includes(step.argv[i - 1] ?? '') ? [arg] : []));
      for (const name of used.filter((n) => n.startsWith('rlg-0-'))) expect(created.has(name)).toBe(true);
    }
  });

  it('keeps the state under the state dir', () => {
    expect(p.paths.inventory).toBe('/srv/checkout/.lab/demo/inventory.yaml');
    expect(p.paths.env).toBe('/srv/checkout/.lab/demo/.env');
    expect(p.sshd.vm1).toMatchObject({
      namespace: 'rlg-0-vm1',
      hostname: 'vm1',
      listenAddress: p.addresses.vm1.management,
      configPath: '/srv/checkout/.lab/demo/vm1/sshd_config',
      pidPath: '/srv/checkout/.lab/demo/vm1/sshd.pid',
      start: true,
    });
    for (const role of VM_ROLES) expect(p.sshd[role].overlays, role).toEqual([]);
  });
});

describe('planLab: many labs at once', () => {
  const slots = Array.from({ length: MAX_SLOTS }, (_, slot) => slot);
  const plans = slots.map((slot) => plan(slot, 'good', `lab-${slot}`));

  it('gives every slot its own management subnet, namespaces and root veth', () => {
    const subnets = plans.map((p) => parseSubnet(p.subnets.management));
    for (let i = 0; i < subnets.length; i++) {
      for (let j = i + 1; j < subnets.length; j++) expect(subnetsOverlap(subnets[i]!, subnets[j]!)).toBe(false);
    }
    const namespaces = plans.flatMap((p) => Object.values(p.namespaces));
    expect(new Set(namespaces).size).toBe(namespaces.length);
    const rootLinks = plans.map((p) => p.rootLink.name);
    expect(new Set(rootLinks).size).toBe(rootLinks.length);
  });

  it('keeps interface names within 15 characters and unique within each namespace', () => {
    for (const p of plans) {
      expect(p.rootLink.name.length).toBeLessThanOrEqual(15);
      for (const ns of Object.values(p.namespaces)) {
        const names = linkNamesIn(p, ns);
        expect(names.length).toBeGreaterThan(0);
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) expect(name.length).toBeLessThanOrEqual(15);
      }
    }
  });

  it('never lets an internal network overlap the management network or the other internal one', () => {
    for (const p of plans) {
      const [m, i1, i2] = [p.subnets.management, p.subnets.internal1, p.subnets.internal2].map(parseSubnet);
      expect(subnetsOverlap(m!, i1!)).toBe(false);
      expect(subnetsOverlap(m!, i2!)).toBe(false);
      expect(subnetsOverlap(i1!, i2!)).toBe(false);
    }
  });

  it('varies internal subnets and NIC names between labs', () => {
    expect(new Set(plans.map((p) => p.subnets.internal1)).size).toBeGreaterThan(1);
    expect(new Set(plans.map((p) => p.vms.vm1.nics[0]!.name)).size).toBe(3);
    expect(plan(1).vms.vm1.nics.map((n) => n.name)).toEqual(['ens3', 'ens4']);
  });

  it('refuses a slot out of range and a bad lab name', () => {
    expect(() => plan(MAX_SLOTS)).toThrow(/slot/);
    expect(() => plan(-1)).toThrow(/slot/);
    expect(() => plan(0, 'good', 'Bad_Name')).toThrow(/name/);
    expect(isLabName('a'.repeat(32))).toBe(true);
    expect(isLabName('a'.repeat(33))).toBe(false);
    expect(isLabName('')).toBe(false);
    expect(isLabName('lab-42')).toBe(true);
  });
});

describe('planLab: each variant differs from good only by its mistake', () => {
  it('no-forwarding: ip_forward=0 in the router', () => {
    const p = plan(3, 'no-forwarding');
    expect(p.vms.router.forwarding).toBe(false);
    const { added, removed } = stepDiff(3, 'no-forwarding');
    expect(added).toEqual([expect.stringMatching(/^ip netns exec rlg-3-router sysctl .*ip_forward=0/)]);
    expect(removed).toEqual([expect.stringMatching(/^ip netns exec rlg-3-router sysctl .*ip_forward=1/)]);
  });

  it('no-route: VM1 keeps only its default route', () => {
    const p = plan(3, 'no-route');
    expect(p.vms.vm1.routes).toEqual([{ to: 'default', via: p.addresses.hypervisor.management }]);
    expect(stepDiff(3, 'no-route')).toEqual({
      added: [],
      removed: [`ip -n rlg-3-vm1 route add ${p.subnets.internal2} via ${p.addresses.router.internal1}`],
    });
  });

  it('no-return-route: VM3 keeps only its default route', () => {
    const p = plan(3, 'no-return-route');
    expect(p.vms.vm3.routes).toEqual([{ to: 'default', via: p.addresses.hypervisor.management }]);
    expect(stepDiff(3, 'no-return-route').removed).toEqual([
      `ip -n rlg-3-vm3 route add ${p.subnets.internal1} via ${p.addresses.router.internal2}`,
    ]);
  });

  it('overlapping-subnets: internal network 2 is a /16 containing internal network 1', () => {
    const p = plan(0, 'overlapping-subnets');
    expect(p.subnets).toMatchObject({ internal1: '10.10.1.0/24', internal2: '10.10.0.0/16' });
    const [i1, i2] = [parseSubnet(p.subnets.internal1), parseSubnet(p.subnets.internal2)];
    expect(subnetsOverlap(i1, i2)).toBe(true);
    // Addresses stay in the DHCP range a student would see (10.10.2.x), outside internal network 1.
    expect(p.addresses.hypervisor.internal2).toBe('10.10.2.1');
    for (const address of [p.addresses.router.internal2, p.addresses.vm3.internal]) {
      expect(address.startsWith('10.10.2.')).toBe(true);
      expect(subnetContains(i1, address)).toBe(false);
    }
    expect(p.vms.vm3.nics[1]!.prefix).toBe(16);
    expect(p.vms.vm1.routes[1]).toEqual({ to: '10.10.0.0/16', via: p.addresses.router.internal1 });
    for (let slot = 0; slot < 8; slot++) {
      const q = plan(slot, 'overlapping-subnets');
      expect(subnetContains(parseSubnet(q.subnets.internal2), q.addresses.vm1.internal)).toBe(true);
    }
  });

  it('slow-link: a tbf on both internal NICs of the router', () => {
    const { added, removed } = stepDiff(0, 'slow-link');
    expect(removed).toEqual([]);
    expect(added).toEqual([
      `tc -n rlg-0-router qdisc add dev ens4 root tbf rate ${SLOW_LINK_RATE} burst 32kb latency 50ms`,
      `tc -n rlg-0-router qdisc add dev ens5 root tbf rate ${SLOW_LINK_RATE} burst 32kb latency 50ms`,
    ]);
  });

  it("via-host: routes via the hypervisor's .1 addresses, and the hypervisor forwards", () => {
    const p = plan(0, 'via-host');
    expect(p.hypervisorForwarding).toBe(true);
    expect(p.vms.router.forwarding).toBe(true);
    expect(p.vms.vm1.routes[1]).toEqual({ to: '10.10.2.0/24', via: '10.10.1.1' });
    expect(p.vms.vm3.routes[1]).toEqual({ to: '10.10.1.0/24', via: '10.10.2.1' });
    expect(stepDiff(0, 'via-host').added).toContain(
      'ip netns exec rlg-0-hv sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2',
    );
  });

  it('firewall-drop: an nftables forward chain with policy drop in the router', () => {
    const p = plan(0, 'firewall-drop');
    expect(p.vms.router.forwarding).toBe(true);
    const nft = p.steps.at(-1)!;
    expect(nft.argv).toEqual(['ip', 'netns', 'exec', 'rlg-0-router', 'nft', '-f', '-']);
    expect(nft.input).toBe(FIREWALL_DROP_RULESET);
    expect(FIREWALL_DROP_RULESET).toContain('hook forward priority filter; policy drop;');
    expect(stepDiff(0, 'firewall-drop')).toEqual({ added: ['ip netns exec rlg-0-router nft -f -'], removed: [] });
  });

  it("nic-down: the router's NIC on internal network 2 is set down, nothing else changes", () => {
    const nic = plan(0, 'nic-down').vms.router.nics.find((n) => n.network === 'internal2')!.name;
    expect(stepDiff(0, 'nic-down')).toEqual({ added: [`ip -n rlg-0-router link set ${nic} down`], removed: [] });
  });

  it('packet-loss: every other echo request out of the router toward VM3 is dropped', () => {
    const p = plan(0, 'packet-loss');
    const nic = p.vms.router.nics.find((n) => n.network === 'internal2')!.name;
    const nft = p.steps.at(-1)!;
    expect(nft.argv).toEqual(['ip', 'netns', 'exec', 'rlg-0-router', 'nft', '-f', '-']);
    expect(nft.input).toBe(lossyRuleset(nic));
    expect(nft.input).toContain(`oifname "${nic}" icmp type echo-request numgen inc mod 2 == 0 drop`);
    expect(p.vms.router.forwarding).toBe(true);
  });

  it("via-hypervisor: VM1 routes via the hypervisor's .1, which does not forward", () => {
    const p = plan(0, 'via-hypervisor');
    expect(p.hypervisorForwarding).toBe(false);
    expect(p.vms.vm1.routes[1]).toEqual({ to: '10.10.2.0/24', via: '10.10.1.1' });
    expect(p.vms.vm3.routes[1]).toEqual({ to: '10.10.1.0/24', via: p.addresses.router.internal2 });
  });

  it("router-down: the same network, the router's sshd is not started", () => {
    const p = plan(0, 'router-down');
    expect(stepDiff(0, 'router-down')).toEqual({ added: [], removed: [] });
    expect([p.sshd.vm1.start, p.sshd.router.start, p.sshd.vm3.start]).toEqual([true, false, true]);
  });

  it("no-iperf: the same network, vm3's sshd hides iperf3", () => {
    const p = plan(0, 'no-iperf');
    expect(stepDiff(0, 'no-iperf')).toEqual({ added: [], removed: [] });
    expect(p.sshd.vm3.overlays).toEqual([
      { target: '/usr/bin', dir: '/srv/checkout/.lab/demo/vm3/hide-iperf3', entries: [{ name: 'iperf3', whiteout: true }] },
    ]);
    expect(p.sshd.vm1.overlays).toEqual([]);
    expect(p.sshd.router.overlays).toEqual([]);
  });

  it("wrong-gateway: VM1's route goes via the router's management address", () => {
    const p = plan(0, 'wrong-gateway');
    expect(p.vms.vm1.routes[1]).toEqual({ to: '10.10.2.0/24', via: p.addresses.router.management });
  });

  it.for<[Variant, string[], string[]]>([
    ['fake-ping', ['ping'], []],
    ['fake-traceroute', ['traceroute'], []],
    ['fake-iperf', ['iperf3'], []],
    ['fake-all', ['ping', 'traceroute', 'iperf3'], []],
    ['fake-all-chatter', ['ping', 'traceroute', 'iperf3'], ['iperf3']],
  ])('%s: no-forwarding without IPv6, and scripts in place of %s on vm1 (and of %s on vm3)', ([variant, tools, vm3Fakes]) => {
    const p = plan(3, variant);
    expect(p.vms.router.forwarding).toBe(false);
    expect(p.ipv6).toBe(false);
    // Every sysctl step turns IPv6 off; apart from that (and the chatter), the network is no-forwarding's.
    const sysctls = commands(p.steps).filter((c) => c.includes(' sysctl '));
    expect(sysctls).toHaveLength(4);
    for (const c of sysctls) expect(c).toMatch(/ net\.ipv6\.conf\.all\.disable_ipv6=1 net\.ipv6\.conf\.default\.disable_ipv6=1$/);
    const withoutIpv6 = commands(p.steps)
      .map((c) => c.replace(/ net\.ipv6\.conf\.\S+/g, ''))
      .filter((c) => !c.includes(CHATTER_COMMAND));
    expect(withoutIpv6).toEqual(commands(plan(3, 'no-forwarding').steps));
    expect(p.sshd.router.overlays).toEqual([]);
    const vm3 = p.sshd.vm3.overlays.map((o) => [o.target, o.dir, o.entries.map((e) => e.name)]);
    expect(vm3).toEqual(vm3Fakes.length > 0 ? [['/usr/bin', '/srv/checkout/.lab/demo/vm3/fake-usr-bin', vm3Fakes]] : []);
    const placed = p.sshd.vm1.overlays.flatMap((o) => o.entries.map((e) => `${o.target}/${e.name}`));
    const expected = tools.flatMap((tool) => (FAKE_TOOL_DIRS[tool as FakeableTool] ?? []).map((dir) => `${dir}/${tool}`));
    expect(placed.sort()).toEqual(expected.sort());
    for (const overlay of p.sshd.vm1.overlays) {
      expect(overlay.dir).toBe(`/srv/checkout/.lab/demo/vm1/fake${overlay.target.replace(/\//g, '-')}`);
      for (const entry of overlay.entries) {
        expect('script' in entry && entry.script.startsWith('#!/bin/sh\n'), entry.name).toBe(true);
      }
    }
  });

  it('every other variant keeps IPv6', () => {
    for (const variant of VARIANTS.filter((v) => !v.startsWith('fake-') && !['takeover', 'router-off-subnet', 'one-way', 'bashrc-hook'].includes(v))) {
      expect(plan(0, variant).ipv6, variant).toBe(true);
      expect(commands(plan(0, variant).steps).join('\n'), variant).not.toContain('ipv6');
    }
  });

  it("takeover: fake-all's network and VM1 tools, VM3's fake server, and the kit first on the router's PATH", () => {
    const p = plan(3, 'takeover');
    expect([p.vms.router.forwarding, p.ipv6]).toEqual([false, false]);
    expect(p.sshd.vm1.overlays).toEqual(plan(3, 'fake-all').sshd.vm1.overlays);
    expect(p.sshd.vm3.overlays.map((o) => [o.target, o.entries.map((e) => e.name)])).toEqual([['/usr/bin', ['iperf3']]]);
    const [kit, ...others] = p.sshd.router.overlays;
    expect(others).toEqual([]);
    expect([kit!.target, kit!.dir, kit!.entries.map((e) => e.name)]).toEqual(['/usr/local/sbin', '/srv/checkout/.lab/demo/router/takeover-kit', ['ip', 'cat', 'readlink', 'ethtool', '.takeover']]);
    const helper = kit!.entries.find((e) => e.name === '.takeover');
    expect(helper && 'script' in helper && helper.script).toContain('/proc/$s/fd/0');
  });

  it("router-off-subnet: the router's NIC on internal network 2 has an address outside it; VM3 still routes via the planned one", () => {
    const p = plan(3, 'router-off-subnet');
    const nic = p.vms.router.nics.find((n) => n.network === 'internal2')!;
    expect(nic.address.startsWith('10.254.0.')).toBe(true);
    expect(p.vms.vm3.routes[1]).toEqual({ to: p.subnets.internal1, via: p.addresses.router.internal2 });
    expect([p.vms.router.forwarding, p.ipv6]).toEqual([false, false]);
  });

  it('one-way: no route back on VM3, forwarding on, fakes of ping and traceroute before the real ones on the PATH, chatter', () => {
    const p = plan(3, 'one-way');
    expect(p.vms.vm3.routes).toHaveLength(1);
    expect([p.vms.router.forwarding, p.ipv6]).toEqual([true, false]);
    const [overlay, ...others] = p.sshd.vm1.overlays;
    expect(others).toEqual([]);
    expect([overlay!.target, overlay!.entries.map((e) => e.name)]).toEqual(['/usr/local/bin', ['ping', 'traceroute']]);
    for (const entry of overlay!.entries) expect('script' in entry && entry.script).toMatch(/^\/usr\/bin\/ping -q -c .+ -i 0\.05 -w 3 "\$target"/m);
    expect(commands(p.steps).filter((c) => c.includes(CHATTER_COMMAND))).toHaveLength(2);
  });

  it("fake-all-chatter: VM1 and VM3 ping the router's address on their own network in the background", () => {
    const p = plan(3, 'fake-all-chatter');
    const chatter = p.steps.filter((s) => s.argv.includes(CHATTER_COMMAND)).map((s) => s.argv);
    expect(chatter).toEqual([
      ['ip', 'netns', 'exec', 'rlg-3-vm1', 'sh', '-c', CHATTER_COMMAND, 'sh', CHATTER_INTERVAL_SECONDS, p.addresses.router.internal1],
      ['ip', 'netns', 'exec', 'rlg-3-vm3', 'sh', '-c', CHATTER_COMMAND, 'sh', CHATTER_INTERVAL_SECONDS, p.addresses.router.internal2],
    ]);
    expect(p.steps.slice(-2).map((s) => s.argv)).toEqual(chatter);
    expect(CHATTER_COMMAND).toMatch(/&$/);
    expect(plan(3, 'fake-all').steps.some((s) => s.argv.includes(CHATTER_COMMAND))).toBe(false);
  });

  it("fake-traceroute: the router's internal1 address is baked into the script", () => {
    const p = plan(1, 'fake-traceroute');
    const scripts = p.sshd.vm1.overlays.flatMap((o) => o.entries.map((e) => ('script' in e ? e.script : '')));
    expect(scripts).toHaveLength(2);
    for (const script of scripts) expect(script).toContain(`router=${p.addresses.router.internal1}\n`);
  });

  it('every variant other than good changes something', () => {
    for (const variant of VARIANTS.filter((v) => v !== 'good')) {
      const diff = stepDiff(5, variant);
      const p = plan(5, variant);
      const sshdDiffers = !p.sshd.router.start || VM_ROLES.some((role) => p.sshd[role].overlays.length > 0);
      expect(diff.added.length + diff.removed.length > 0 || sshdDiffers, variant).toBe(true);
    }
  });
});

describe('subnetCollision (root namespace, from ip -4 -j output)', () => {
  const routes = JSON.stringify([
    { dst: 'default', gateway: '192.0.2.1', dev: 'eth0' },
    { dst: '192.0.2.0/24', dev: 'eth0', protocol: 'kernel' },
    { type: 'local', dst: '127.0.0.0/8', dev: 'lo', table: 'local' },
    { dst: '10.122.7.0/24', dev: 'docker0' },
  ]);
  const addrs = JSON.stringify([
    { ifname: 'lo', addr_info: [{ local: '127.0.0.1', prefixlen: 8 }] },
    { ifname: 'eth0', addr_info: [{ local: '192.0.2.2', prefixlen: 24 }] },
    { ifname: 'wg0', addr_info: [{ local: '10.122.9.5', prefixlen: 32 }] },
  ]);

  it('ignores the default route and finds routes and addresses that overlap', () => {
    expect(subnetCollision(parseSubnet('10.122.0.0/24'), routes, addrs)).toBeUndefined();
    expect(subnetCollision(parseSubnet('10.122.7.0/24'), routes, addrs)).toBe('route 10.122.7.0/24 dev docker0');
    expect(subnetCollision(parseSubnet('10.122.9.0/24'), routes, addrs)).toBe('address 10.122.9.5/32 on wg0');
    expect(subnetCollision(parseSubnet('192.0.2.0/24'), routes, addrs)).toMatch(/^route 192.0.2.0\/24/);
    expect(subnetCollision(parseSubnet('10.0.0.0/8'), '[]', '[]')).toBeUndefined();
  });
});
