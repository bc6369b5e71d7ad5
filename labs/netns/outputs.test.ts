import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envFile, inventoryYaml, knownHosts } from './outputs.ts';
import { planLab } from './plan.ts';
import { mountedOverlays } from './overlays.ts';
import { sshdConfig, sshdStartArgv } from './sshd.ts';

const plan = planLab({ name: 'lab42', slot: 2, variant: 'good', stateDir: '/srv/x/.lab/lab42' });

describe('what a lab hands the grader', () => {
  it("writes the inventory in the grader's format", () => {
    const text = inventoryYaml(plan);
    expect(text).toContain('defaults:\n  user: root\n  port: 22\nlabs:\n  lab42:\n');
    expect(parse(text)).toEqual({
      defaults: { user: 'root', port: 22 },
      labs: {
        lab42: {
          credentials: { keyFile: '/srv/x/.lab/lab42/id_ed25519' },
          vm1: { address: plan.addresses.vm1.management },
          router: { address: plan.addresses.router.management },
          vm3: { address: plan.addresses.vm3.management },
        },
      },
    });
  });

  it('writes one known_hosts line per VM management address', () => {
    const keys = { vm1: 'ssh-ed25519 AAAA1', router: 'ssh-ed25519 AAAA2', vm3: 'ssh-ed25519 AAAA3' };
    expect(knownHosts(plan, keys)).toBe(
      `${plan.addresses.vm1.management} ssh-ed25519 AAAA1\n` +
        `${plan.addresses.router.management} ssh-ed25519 AAAA2\n` +
        `${plan.addresses.vm3.management} ssh-ed25519 AAAA3\n`,
    );
  });

  it('points .env at the absolute key and known_hosts paths, quoting only when needed', () => {
    expect(envFile(plan)).toBe(
      'GRADER_SSH_KEY=/srv/x/.lab/lab42/id_ed25519\nGRADER_KNOWN_HOSTS=/srv/x/.lab/lab42/known_hosts\n',
    );
    const spaced = planLab({ name: 'a', slot: 0, variant: 'good', stateDir: '/home/my labs/.lab/a' });
    expect(envFile(spaced)).toContain('GRADER_SSH_KEY="/home/my labs/.lab/a/id_ed25519"\n');
  });
});

describe('sshd of a VM', () => {
  it('listens on the management address only, with its own key, pid file and authorized_keys', () => {
    const text = sshdConfig(plan.sshd.vm1, plan.paths.authorizedKeys);
    expect(text).toContain(`ListenAddress ${plan.addresses.vm1.management}:22\n`);
    expect(text).toContain('HostKey /srv/x/.lab/lab42/vm1/ssh_host_ed25519_key\n');
    expect(text).toContain('PidFile /srv/x/.lab/lab42/vm1/sshd.pid\n');
    expect(text).toContain('AuthorizedKeysFile /srv/x/.lab/lab42/authorized_keys\n');
    for (const line of ['StrictModes no', 'UsePAM no', 'PermitRootLogin prohibit-password', 'PasswordAuthentication no']) {
      expect(text).toContain(`${line}\n`);
    }
  });

  it('starts inside the VM namespace with its own hostname, logging to a file', () => {
    const argv = sshdStartArgv(plan.sshd.router, '/usr/sbin/sshd');
    expect(argv.slice(0, 4)).toEqual(['ip', 'netns', 'exec', 'rlg-2-router']);
    expect(argv).toContain('--uts');
    expect(argv.find((a) => a.includes('mount -t tmpfs'))).toContain('rlg-home /root');
    expect(argv.slice(-7)).toEqual([
      'sh',
      'router',
      '/usr/sbin/sshd',
      '/srv/x/.lab/lab42/router/sshd_config',
      '/srv/x/.lab/lab42/router/sshd.log',
      // Every VM's sudo shim, on its own layer above /usr/bin.
      '/srv/x/.lab/lab42/router/usr-bin',
      '/usr/bin',
    ]);
  });

  it('gives every VM a sudo that runs the command as is (the fixes start with sudo), in the one layer on /usr/bin', () => {
    const layers = mountedOverlays(plan.sshd.vm1);
    expect(layers.map((o) => [o.target, o.entries.map((e) => e.name)])).toEqual([['/usr/bin', ['sudo']]]);
    const noIperf = planLab({ name: 'lab42', slot: 2, variant: 'no-iperf', stateDir: '/srv/x/.lab/lab42' });
    expect(mountedOverlays(noIperf.sshd.vm3).map((o) => [o.dir, o.entries.map((e) => e.name)])).toEqual([['/srv/x/.lab/lab42/vm3/hide-iperf3', ['iperf3', 'sudo']]]);
    expect(noIperf.sshd.vm3.overlays[0]!.entries.map((e) => e.name), 'the plan itself unchanged').toEqual(['iperf3']);
  });

  it("points the VMs' dhclient at lease and pid files of their own (sshd's SetEnv), not the machine's", () => {
    const text = sshdConfig(plan.sshd.vm3, plan.paths.authorizedKeys);
    expect(text).toContain('SetEnv PATH_DHCLIENT_DB=/srv/x/.lab/lab42/vm3/dhclient.leases PATH_DHCLIENT_PID=/srv/x/.lab/lab42/vm3/dhclient.pid\n');
    const spaced = planLab({ name: 'a', slot: 1, variant: 'good', stateDir: '/home/my labs/.lab/a' });
    expect(sshdConfig(spaced.sshd.vm1, spaced.paths.authorizedKeys)).toContain('SetEnv "PATH_DHCLIENT_DB=/home/my labs/.lab/a/vm1/dhclient.leases" "PATH_DHCLIENT_PID=/home/my labs/.lab/a/vm1/dhclient.pid"\n');
  });

  it('hides iperf3 for no-iperf by overlaying /usr/bin in its own mount namespace', () => {
    const noIperf = planLab({ name: 'lab42', slot: 2, variant: 'no-iperf', stateDir: '/srv/x/.lab/lab42' });
    const argv = sshdStartArgv(noIperf.sshd.vm3, '/usr/sbin/sshd');
    expect(argv).toContain('--mount');
    expect(argv.slice(-2)).toEqual(['/srv/x/.lab/lab42/vm3/hide-iperf3', '/usr/bin']);
    expect(argv.find((a) => a.includes('mount -t overlay'))).toContain('lowerdir=$1:$2');
  });

  it('overlays the directories of the faked tools on vm1 for fake-all, one (layer, directory) pair each', () => {
    const fakeAll = planLab({ name: 'lab42', slot: 2, variant: 'fake-all', stateDir: '/srv/x/.lab/lab42' });
    const argv = sshdStartArgv(fakeAll.sshd.vm1, '/usr/sbin/sshd');
    // The sudo shim joins the fake /usr/bin layer rather than stacking a second overlay on it.
    expect(argv.slice(-4)).toEqual([
      '/srv/x/.lab/lab42/vm1/fake-usr-bin',
      '/usr/bin',
      '/srv/x/.lab/lab42/vm1/fake-usr-sbin',
      '/usr/sbin',
    ]);
    expect(sshdStartArgv(fakeAll.sshd.vm3, '/usr/sbin/sshd').slice(-3)).toEqual(['/srv/x/.lab/lab42/vm3/sshd.log', '/srv/x/.lab/lab42/vm3/usr-bin', '/usr/bin']);
  });
});

describe('bind-ip-forward: the mount over ip_forward, in the router sshd\'s own mount namespace', () => {
  it('writes a file holding 1 beside its sshd_config and bind-mounts it over ip_forward, on the router only, forwarding off', () => {
    const p = planLab({ name: 'lab42', slot: 2, variant: 'bind-ip-forward', stateDir: '/srv/x/.lab/lab42' });
    expect(p.vms.router.forwarding).toBe(false);
    const script = sshdStartArgv(p.sshd.router, '/usr/sbin/sshd').find((a) => a.includes('mount -t tmpfs'))!;
    expect(script).toContain(`f="\${config%/*}/ip_forward-shown"; printf '%s\\n' 1 > "$f" && mount --bind "$f" /proc/sys/net/ipv4/ip_forward || exit 1`);
    expect(script.indexOf('ip_forward-shown')).toBeLessThan(script.indexOf('exec "$sshd"'));
    for (const role of ['vm1', 'vm3'] as const) expect(sshdStartArgv(p.sshd[role], '/usr/sbin/sshd').join(' ')).not.toContain('ip_forward');
    expect(sshdStartArgv(planLab({ name: 'lab42', slot: 2, variant: 'no-forwarding', stateDir: '/srv/x/.lab/lab42' }).sshd.router, '/usr/sbin/sshd').join(' ')).not.toContain('ip_forward');
  });
});

