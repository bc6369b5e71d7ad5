// Every command a diagnosis prints is one a student or the instructor types as printed, on a VM or
// on the hypervisor: the values in it that a student chose (domain names on a lab server, NIC
// names, MACs, firewall tables and chains) must arrive as single words, never as shell text.
// The recorded reference-lab states, with those values made hostile, printed fixes run in a real
// `sh` whose virsh, ip, dhclient, tc, nft and iptables only record their arguments.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { ROLES } from '../core/roles.ts';
import { diagnosisLines } from '../report/diagnosis-text.ts';
import { diagnose, type DiagnosisInput } from './diagnose.ts';

const root = mkdtempSync(join(tmpdir(), 'rlg-fix-quoted-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const marks = join(root, 'marks');
const bin = join(root, 'bin');
const cwd = join(root, 'cwd');
const log = join(root, 'args.log');
for (const dir of [marks, bin, cwd]) mkdirSync(dir);
for (const tool of ['virsh', 'ip', 'dhclient', 'tc', 'nft', 'iptables', 'ufw', 'sysctl', 'systemctl', 'apt']) {
  writeFileSync(join(bin, tool), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a" >> '${log}'; done\n`);
  chmodSync(join(bin, tool), 0o755);
}
writeFileSync(join(bin, 'sudo'), '#!/bin/sh\nexec "$@"\n');
chmodSync(join(bin, 'sudo'), 0o755);

const IFS = '${IFS}';
const hostileDomain = (role: string) => `evil;touch${IFS}${marks}/${role}|sh;#-${role}`;
const hostileNic = (nic: string) => `${nic};touch ${marks}/${nic}`;
const hostileMac = (mac: string) => `${mac}$(touch ${marks}/mac)`;

// A recorded state with every NIC name and MAC replaced by shell text, and a hypervisor whose
// domains have shell text for names.
function hostile(name: string, edit?: (input: DiagnosisInput) => void): DiagnosisInput {
  let text = fixture(`diagnose/${name}.json`);
  for (const nic of ['enp1s0', 'enp7s0', 'ens3', 'ens4', 'ens5', 'eth0', 'eth1', 'br0']) text = text.replaceAll(`"${nic}"`, JSON.stringify(hostileNic(nic)));
  text = text.replace(/"(52:54:00(?::[0-9a-f]{2}){3})"/g, (_all, mac: string) => JSON.stringify(hostileMac(mac)));
  const input = JSON.parse(text) as DiagnosisInput;
  input.hypervisor = {
    target: 'lab-server',
    domains: Object.fromEntries(ROLES.map((role) => [role, { domain: hostileDomain(role), interfaces: [], leases: [], evidence: [] }])),
    problems: {},
    networks: [],
    evidence: [],
  };
  edit?.(input);
  return input;
}

// The printed commands of every diagnosis (the persistence note is prose, not a command).
function printedCommands(input: DiagnosisInput): string[] {
  return diagnose(input).flatMap((d) => diagnosisLines(d, '').slice(1).filter((line) => !line.startsWith('To keep it after a reboot:')));
}

function typed(commands: string[]): string[] {
  rmSync(log, { force: true });
  for (const command of commands) {
    try {
      execFileSync('sh', ['-c', command], { cwd, env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: 'ignore' });
    } catch {
      // `virt-manager: ...` steps are not commands: sh says so, and that is all.
    }
  }
  let args = '';
  try {
    args = readFileSync(log, 'utf8');
  } catch {
    // no tool was run
  }
  return args.split('\0');
}

// The NIC of the router toward VM3 without carrier: its fix is `virsh domif-setlink DOMAIN MAC up`.
// The traffic across it then fails (a diagnosis never contradicts passing checks).
function unplugged(input: DiagnosisInput): void {
  const links = (input.observations?.hosts.router?.links ?? []) as Array<{ name: string; lowerUp: boolean; state: string }>;
  for (const link of links.filter((l) => l.name === hostileNic('ens5') || l.name === hostileNic('ens4'))) Object.assign(link, { lowerUp: false, state: 'DOWN' });
  for (const result of input.results) if (['ping', 'traceroute', 'iperf'].includes(result.kind)) Object.assign(result, { status: 'fail' });
}

describe('fix commands built from student values', () => {
  const cases: Array<[string, DiagnosisInput]> = [
    ['good (virsh shutdown, edit, start)', hostile('good')],
    ['router-down (virsh domstate, start)', hostile('router-down')],
    ['nic-down (ip link set up)', hostile('nic-down')],
    ['unplugged (virsh domif-setlink)', hostile('good', unplugged)],
    ['no-address (dhclient)', hostile('no-address')],
    ['slow-link (tc qdisc)', hostile('slow-link')],
    ['packet-loss', hostile('packet-loss')],
    ['firewall-drop (nft, iptables)', hostile('firewall-drop')],
    ['overlapping-subnets (ip addr)', hostile('overlapping-subnets')],
    ['router-bridges (ip link del)', hostile('router-bridges')],
    ['vm-has-router-address (ip addr del, dhclient)', hostile('vm-has-router-address')],
    ['stale-neighbour (ip neigh del)', hostile('stale-neighbour')],
    ['nic-forwarding-off (sysctl)', hostile('nic-forwarding-off')],
    ['address-on-mgmt-nic (ip addr del, add)', hostile('address-on-mgmt-nic')],
    ['router-addrs-swapped (ip addr del, add)', hostile('router-addrs-swapped')],
    ['path-mtu-blackhole (ip link set mtu)', hostile('path-mtu-blackhole')],
    ['vm3-input-drop (nft, iptables insert)', hostile('vm3-input-drop')],
    ['no-time-exceeded', hostile('no-time-exceeded')],
    ['nat-on-router (nft, iptables -t nat)', hostile('nat-on-router')],
  ];

  it.each(cases)('%s: typed as printed, runs nothing a value holds', (_name, input) => {
    const commands = printedCommands(input);
    expect(commands.length).toBeGreaterThan(0);
    typed(commands);
    expect(readdirSync(marks)).toEqual([]);
  });

  it('each hostile domain, NIC name and MAC reaches the tool as one word', () => {
    const words = new Set(cases.flatMap(([, input]) => typed(printedCommands(input))));
    for (const role of ROLES) expect(words).toContain(hostileDomain(role));
    expect(words).toContain(hostileNic('ens4'));
    expect([...words].some((w) => /^52:54:00(:[0-9a-f]{2}){3}\$\(touch /.test(w))).toBe(true);
    expect(readdirSync(marks)).toEqual([]);
  });
});
