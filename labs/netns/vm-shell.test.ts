// What a student finds in a reference-lab VM's shell, as on the VMs it stands for: a `sudo` that
// runs the printed fixes, and DHCP on both internal networks that hands each VM NIC the address
// the lab's plan has (so `sudo dhclient -v NIC` completes and gives the same address back).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planLab, VM_ROLES } from './plan.ts';
import { sudoShimScript } from './sudo-shim.ts';
import { VARIANTS } from './variants.ts';

const plan = (variant: (typeof VARIANTS)[number] = 'good', slot = 3) => planLab({ name: 'demo', slot, variant, stateDir: '/srv/c/.lab/demo' });

describe('DHCP on the internal networks', () => {
  it('runs one dnsmasq per internal network, in the hypervisor namespace, on its bridge, for every variant', () => {
    for (const variant of VARIANTS) {
      const p = plan(variant);
      const dnsmasq = p.steps.filter((s) => s.argv.includes('dnsmasq'));
      expect(dnsmasq.map((s) => s.argv.slice(0, 5)), variant).toEqual([
        ['ip', 'netns', 'exec', p.namespaces.hv, 'dnsmasq'],
        ['ip', 'netns', 'exec', p.namespaces.hv, 'dnsmasq'],
      ]);
      expect(dnsmasq.map((s) => s.argv.find((a) => a.startsWith('--interface='))), variant).toEqual(['--interface=virbr1', '--interface=virbr2']);
      for (const s of dnsmasq) {
        for (const own of ['--dhcp-leasefile=/srv/c/.lab/demo/', '--pid-file=/srv/c/.lab/demo/']) expect(s.argv.some((a) => a.startsWith(own)), own).toBe(true);
        expect(s.argv, 'no DNS, no router offered').toEqual(expect.arrayContaining(['--port=0', '--dhcp-option=3', '--bind-interfaces']));
      }
    }
  });

  it("reserves, by MAC, the address the plan gives each VM NIC of the exercise as asked", () => {
    const p = plan();
    const reserved = Object.fromEntries(p.dhcp.flatMap((d) => d.reservations.map((r) => [r.mac, r.address])));
    for (const role of VM_ROLES) {
      for (const nic of p.vms[role].nics.filter((n) => n.network !== 'management')) expect(reserved[nic.mac], `${role} ${nic.name}`).toBe(nic.address);
    }
    expect(Object.keys(reserved)).toHaveLength(4);
    const steps = p.steps.flatMap((s) => s.argv).filter((a) => a.startsWith('--dhcp-host='));
    expect(steps).toEqual(p.dhcp.flatMap((d) => d.reservations.map((r) => `--dhcp-host=${r.mac},${r.address}`)));
  });

  it('router-bridges: the router NICs without an address get back the ones a routing router has', () => {
    const good = plan('good');
    const bridged = plan('router-bridges');
    const router = bridged.vms.router.nics.filter((n) => n.network !== 'management');
    expect(router.map((n) => n.address)).toEqual(['', '']);
    const reserved = new Map(bridged.dhcp.flatMap((d) => d.reservations.map((r) => [r.mac, r.address] as const)));
    expect(router.map((n) => reserved.get(n.mac))).toEqual([good.addresses.router.internal1, good.addresses.router.internal2]);
  });

  it('no-address: VM3 gets the address its route back was planned for', () => {
    const p = plan('no-address');
    const nic = p.vms.vm3.nics.find((n) => n.network === 'internal2')!;
    expect(nic.address).toBe('');
    expect(p.dhcp[1]!.reservations.find((r) => r.mac === nic.mac)?.address).toBe(p.addresses.vm3.internal);
  });
});

describe('the sudo shim', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlg-sudo-'));
  const shim = join(dir, 'sudo');
  writeFileSync(shim, sudoShimScript(), { mode: 0o755 });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sudo = (...args: string[]) => spawnSync(shim, args, { encoding: 'utf8', env: { PATH: process.env.PATH, MARK: 'kept' } });

  it('runs the command as is, its exit code and environment kept, under sh and dash', () => {
    expect(execFileSync(shim, ['sh', '-c', 'echo "$MARK $0 $1"', 'a', 'b c'], { encoding: 'utf8', env: { PATH: process.env.PATH, MARK: 'kept' } })).toBe('kept a b c\n');
    expect(sudo('sh', '-c', 'exit 7').status).toBe(7);
    expect(spawnSync('dash', [shim, 'echo', 'ok'], { encoding: 'utf8' }).stdout).toBe('ok\n');
  });

  it("accepts the options scripts pass to sudo (-S -p '' as the VM lab's password helper, -E, --), refuses others clearly", () => {
    expect(sudo('-S', '-p', '', 'echo', 'ok').stdout).toBe('ok\n');
    expect(sudo('-E', '--', 'printf', '%s\n', '-n').stdout).toBe('-n\n');
    expect(sudo('-u', 'root', 'echo', 'ok').stdout).toBe('ok\n');
    const other = sudo('-i');
    expect([other.status, other.stderr]).toEqual([1, expect.stringContaining('you are root')]);
    expect(sudo('-u', 'student', 'id').status).toBe(1);
    expect(sudo().status).toBe(1);
  });
});
