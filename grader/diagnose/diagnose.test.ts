// The diagnosis on states recorded from the reference lab (fixtures/diagnose/, recorded by
// test/support/record-diagnosis-state.ts): no root, no network, the same input the grader had.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

interface Addresses {
  vm1: { management: string; internal: string };
  router: { management: string; internal1: string; internal2: string };
  vm3: { management: string; internal: string };
  hypervisor: { management: string; internal1: string; internal2: string };
}

function state(name: string): DiagnosisInput & { addresses: Addresses } {
  return JSON.parse(fixture(`diagnose/${name}.json`)) as DiagnosisInput & { addresses: Addresses };
}

const net24 = (address: string) => `${address.split('.').slice(0, 3).join('.')}.0/24`;

// What each diagnosis names, the VirtIO ones aside (namespaces never have VirtIO NICs).
function causes(diagnoses: Diagnosis[]): string[] {
  return diagnoses.filter((d) => d.cause !== 'not-virtio').map((d) => `${d.cause} ${d.host}${d.nic ? ` ${d.nic}` : ''}`);
}

function only(name: string): Diagnosis {
  const found = diagnose(state(name)).filter((d) => d.cause !== 'not-virtio');
  expect(found).toHaveLength(1);
  return found[0]!;
}

const TRAFFIC = ['ping vm1', 'traceroute vm1', 'iperf vm1'];

describe('diagnose on recorded reference-lab states', () => {
  it('good: nothing but the veths, one not-virtio per VM', () => {
    const diagnoses = diagnose(state('good'));
    expect(causes(diagnoses)).toEqual([]);
    expect(diagnoses.map((d) => `${d.cause} ${d.host}`)).toEqual(['not-virtio vm1', 'not-virtio router', 'not-virtio vm3']);
    expect(diagnoses[0]!.fix.join('\n')).toMatch(/virsh shutdown .*\n.*virsh edit .*<model type='virtio'\/>.*\n.*virsh start/);
  });

  it('no-forwarding: one cause on the router explains the four failures', () => {
    const d = only('no-forwarding');
    expect(d).toMatchObject({ cause: 'forwarding-off', host: 'router', fix: ['sudo sysctl -w net.ipv4.ip_forward=1'] });
    expect(d.persist).toMatch(/sysctl\.d/);
    expect(d.results).toEqual(['ip-forward router', ...TRAFFIC]);
  });

  it('no-route: VM1 has only its default route; the fix adds the route with the lab\'s own values', () => {
    const s = state('no-route');
    const d = only('no-route');
    expect(d).toMatchObject({ cause: 'no-route', host: 'vm1', fix: [`sudo ip route add ${net24(s.addresses.vm3.internal)} via ${s.addresses.router.internal1}`] });
    expect(d.summary).toContain(`only its default route via ${s.addresses.hypervisor.management}`);
    expect(d.results).toEqual(['routes vm1', ...TRAFFIC]);
  });

  it('no-return-route: diagnosed on VM3, and it explains VM1\'s ping, traceroute and iperf', () => {
    const s = state('no-return-route');
    const d = only('no-return-route');
    expect(d).toMatchObject({ cause: 'no-return-route', host: 'vm3', fix: [`sudo ip route add ${net24(s.addresses.vm1.internal)} via ${s.addresses.router.internal2}`] });
    expect(d.results).toEqual(['routes vm3', ...TRAFFIC]);
  });

  it('via-host and wrong-gateway: the wrong route exists, so the fix replaces it (add would say "File exists")', () => {
    const s = state('via-host');
    const [d1, d3] = diagnose(s).filter((d) => d.cause !== 'not-virtio');
    expect(d1).toMatchObject({ cause: 'route-bypasses-router', host: 'vm1', fix: [`sudo ip route replace ${net24(s.addresses.vm3.internal)} via ${s.addresses.router.internal1}`] });
    expect(d3).toMatchObject({ cause: 'route-bypasses-router', host: 'vm3', fix: [`sudo ip route replace ${net24(s.addresses.vm1.internal)} via ${s.addresses.router.internal2}`] });
    const w = only('wrong-gateway');
    expect(w).toMatchObject({ cause: 'wrong-gateway', host: 'vm1', fix: [`sudo ip route replace ${net24(s.addresses.vm3.internal)} via ${s.addresses.router.internal1}`] });
    expect(w.summary).toContain(`via ${s.addresses.router.management}, the router's address on another network`);
  });

  it('firewall-drop: the router\'s dropping chain, how to see it and how to lift it; not forwarding nor routes', () => {
    const d = only('firewall-drop');
    expect(d).toMatchObject({ cause: 'filtered', host: 'router', fix: ['sudo nft -a list ruleset', "sudo nft add chain inet filter forward '{ policy accept; }'"] });
    expect(d.evidence.join('\n')).toMatch(/policy drop[\s\S]*[1-9]\d* pings from VM1 to VM3, 0 replies/);
    expect(d.results).toEqual(TRAFFIC);
  });

  it('firewall-drop with rules a non-root user cannot read: the counters still place it on the router', () => {
    const s = state('firewall-drop');
    const router = s.observations!.hosts.router!;
    router.nft = { readable: false, drops: [] };
    router.iptables = { readable: false, drops: [] };
    const [d, ...rest] = diagnose(s).filter((x) => x.cause !== 'not-virtio');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ cause: 'filtered', host: 'router' });
    expect(d!.fix).toContain('sudo nft -a list ruleset');
    expect(d!.fix).toContain('sudo iptables -L FORWARD -v -n --line-numbers');
  });

  it('router-down: could not log in to the router, which every error points to; no guess about forwarding or routes', () => {
    const s = state('router-down');
    const d = only('router-down');
    expect(d).toMatchObject({ cause: 'unreachable-vm', host: 'router' });
    expect(d.summary).toContain(`could not log in to the router VM (root@${s.addresses.router.management})`);
    expect(d.fix.join('\n')).toMatch(/sudo systemctl start ssh/);
    const errors = s.results.filter((r) => r.status === 'error').map((r) => (r.host === 'lab' ? r.id : `${r.id} ${r.host}`));
    expect(d.results).toEqual(errors);
  });

  it('login-refused: the router answered but refused the login; the user and what was offered, how to name another, no sshd to start', () => {
    const s = state('router-down');
    const offered = 'publickey (/home/ta/.ssh/id_ed25519 from GRADER_SSH_KEY, ssh-ed25519, not encrypted)';
    const hosts = [...s.hosts].map((h) =>
      'problem' in h ? { ...h, problem: `authentication refused for ${h.target} (tried: ${offered})`, refused: { user: 'root', host: s.addresses.router.management, port: 22, offered } } : h,
    );
    const found = diagnose({ ...s, hosts }).filter((d) => d.cause !== 'not-virtio');
    expect(found).toHaveLength(1);
    const d = found[0]!;
    expect(d).toMatchObject({ cause: 'login-refused', host: 'router' });
    expect(d.summary).toContain(`refused the login of user root`);
    expect(d.summary).toContain(offered);
    const fix = d.fix.join('\n');
    expect(fix).not.toMatch(/systemctl start ssh|virsh start/);
    expect(fix).toContain(`ssh -o BatchMode=yes -p 22 root@${s.addresses.router.management} true`);
    expect(fix).toMatch(/GRADER_SSH_KEY/);
    expect(fix).toMatch(/keyFile/);
    expect(fix).toMatch(/SSH_AUTH_SOCK/);
    expect(fix).toMatch(/--user/);
    const errors = s.results.filter((r) => r.status === 'error').map((r) => (r.host === 'lab' ? r.id : `${r.id} ${r.host}`));
    expect(d.results).toEqual(errors);
  });

  it('login-refused: three VMs refusing the same user and key are one diagnosis on the lab, one refusing another key its own', () => {
    const s = state('router-down');
    const offered = 'publickey (/home/ta/.ssh/id_ed25519 from GRADER_SSH_KEY, ssh-ed25519, not encrypted)';
    const refusedAll = (other?: 'vm3') =>
      [...s.hosts].map((h) => {
        const key = h.role === other ? 'publickey (/home/ta/.ssh/other, ssh-rsa, not encrypted)' : offered;
        const host = h.target.replace(/^.*@/, '');
        return { role: h.role, target: h.target, problem: `authentication refused for ${h.target} (tried: ${key})`, refused: { user: 'root', host, port: 22, offered: key } };
      });
    const all = diagnose({ ...s, hosts: refusedAll() }).filter((d) => d.cause !== 'not-virtio');
    expect(all.map((d) => `${d.cause} ${d.host}`)).toEqual(['login-refused lab']);
    expect(all[0]!.summary).toMatch(/^The SSH servers of VM1 \(.*\), the router VM \(.*\) and VM3 \(.*\) answered but refused the login of user root; the grader offered publickey/);
    expect(all[0]!.fix[0]).toMatch(/\(the same test for root@\S+ and root@\S+\)$/);
    expect(all[0]!.evidence).toHaveLength(3);

    const split = diagnose({ ...s, hosts: refusedAll('vm3') }).filter((d) => d.cause !== 'not-virtio');
    expect(split.map((d) => `${d.cause} ${d.host}`)).toEqual(['login-refused lab', 'login-refused vm3']);
    expect(split[1]!.summary).toContain('ssh-rsa');
  });

  it('slow-link: each rate-limited NIC of the router, with tc show and its removal', () => {
    const found = diagnose(state('slow-link')).filter((d) => d.cause !== 'not-virtio');
    expect(causes(found)).toEqual(['slow-path router ens4', 'slow-path router ens5']);
    expect(found[0]!.fix).toEqual(['tc qdisc show dev ens4', 'sudo tc qdisc del dev ens4 root']);
    expect(found[0]!.results).toEqual(['iperf vm1']);
  });

  it('overlapping-subnets: the /16 narrowed on VM3 and on the router, VM3\'s route put back', () => {
    const s = state('overlapping-subnets');
    const found = diagnose(s).filter((d) => d.cause !== 'not-virtio');
    expect(causes(found)).toEqual(['overlapping-subnets router ens5', 'overlapping-subnets vm3 eth1']);
    expect(found[1]!.fix).toEqual([
      `sudo ip addr del ${s.addresses.vm3.internal}/16 dev eth1`,
      `sudo ip addr add ${s.addresses.vm3.internal}/24 dev eth1`,
      `sudo ip route replace ${net24(s.addresses.vm1.internal)} via ${s.addresses.router.internal2}`,
    ]);
  });

  it('no-iperf: the tool is missing on VM3, where the server runs', () => {
    expect(only('no-iperf')).toMatchObject({ cause: 'tool-missing', host: 'vm3', fix: ['sudo apt install iperf3'], results: ['iperf vm1'] });
  });

  it('nic-down: the router\'s NIC toward VM3 is down, not its forwarding or routes', () => {
    expect(only('nic-down')).toMatchObject({ cause: 'link-down', host: 'router', nic: 'ens5', fix: ['sudo ip link set ens5 up'], results: TRAFFIC });
  });

  it('packet-loss: the rule that drops a share, with its handle; only the lossy ping is explained', () => {
    expect(only('packet-loss')).toMatchObject({
      cause: 'packet-loss',
      host: 'router',
      nic: 'ens5',
      fix: ['sudo nft -a list ruleset', 'sudo nft delete rule inet lossy postrouting handle 2'],
      results: ['ping vm1'],
    });
  });

  it('via-hypervisor: a route via the hypervisor\'s bridge that does not forward is still "not the router"', () => {
    const s = state('via-hypervisor');
    expect(only('via-hypervisor')).toMatchObject({ cause: 'route-bypasses-router', host: 'vm1', fix: [`sudo ip route replace ${net24(s.addresses.vm3.internal)} via ${s.addresses.router.internal1}`] });
  });

  it('no-address: VM3\'s NIC without an address, then its route back; every check that needed the address is explained', () => {
    const s = state('no-address');
    const found = diagnose(s).filter((d) => d.cause !== 'not-virtio');
    expect(causes(found)).toEqual(['no-internal-address vm3 eth1', 'no-return-route vm3 eth1']);
    expect(found[0]!.fix).toEqual(['sudo dhclient -v eth1']);
    expect(found[0]!.results).toEqual(['subnets', 'routes vm1', 'routes vm3', 'ping vm1', 'traceroute vm1', 'iperf vm1']);
    expect(found[1]!.fix).toEqual([`sudo ip route add ${net24(s.addresses.vm1.internal)} via ${s.addresses.router.internal2}`]);
  });

  it('router-bridges: one flat network through the router\'s bridge; the routes are not a cause of their own', () => {
    const found = diagnose(state('router-bridges')).filter((d) => d.cause !== 'not-virtio');
    expect(causes(found)).toEqual(['overlapping-subnets router br0']);
    expect(found[0]!.summary).toMatch(/bridges ens4 and ens5 into br0 instead of routing between them: VM1 and VM3 are on one flat network/);
    expect(found[0]!.fix.slice(0, 3)).toEqual(['sudo ip link del br0', 'sudo dhclient -v ens4', 'sudo dhclient -v ens5']);
    expect(found[0]!.results).toEqual(['subnets', 'routes vm1', 'routes vm3', ...TRAFFIC]);
  });

  it('two causes at once, no forwarding and no return route: both, the router first, each explaining the traffic', () => {
    const found = diagnose(state('no-forwarding-no-return-route')).filter((d) => d.cause !== 'not-virtio');
    expect(causes(found)).toEqual(['forwarding-off router', 'no-return-route vm3 eth1']);
    for (const d of found) expect(d.results).toEqual(expect.arrayContaining(TRAFFIC));
  });

  it('never changes a result', () => {
    const s = state('no-forwarding-no-return-route');
    const before = JSON.stringify(s.results);
    diagnose(s);
    expect(JSON.stringify(s.results)).toBe(before);
  });

  it('a report without observations (an older grader) still diagnoses what the results say', () => {
    const s = state('no-forwarding');
    const found = diagnose({ ...s, observations: undefined });
    expect(causes(found)).toEqual(['forwarding-off router']);
  });
});
