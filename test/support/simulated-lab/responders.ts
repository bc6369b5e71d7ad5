// What a simulated VM answers, keyed by the command as the grader's checks write it (unwrapped).
// Each answer comes from the recordings (see recorded-lab.ts) and takes about as long as the real
// tool: ping count x interval, iperf3 its -t, the rest a few milliseconds.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Role } from '../../../grader/core/roles.ts';
import type { LabState, StopReason } from './lab-state.ts';
import { observationCommand } from '../../../grader/diagnose/observations.ts';
import { DISCOVERY_COMMAND } from '../../../grader/lab/discovery.ts';
import { NIC_DRIVERS_COMMAND } from '../../../grader/checks/kinds/virtio.ts';
import { IP_FORWARD_COMMAND } from '../../../grader/checks/kinds/ip-forward.ts';
import { routeGetCommand } from '../../../grader/checks/route-seen.ts';
import { pingCommand } from '../../../grader/checks/kinds/ping.ts';
import { tracerouteCommand } from '../../../grader/checks/kinds/traceroute.ts';
import { iperfClientCommand, iperfServerCommand, stopServerCommand } from '../../../grader/checks/kinds/iperf.ts';
import { counterCommand, counterFiles } from '../../../grader/checks/router-counters.ts';
import { TAMPER_COMMAND } from '../../../grader/parse/tamper-signs.ts';
import { targetCounterCommand } from '../../../grader/checks/target-counters.ts';
import { commandPattern } from './command-pattern.ts';
import { isAddress, lookupRoute, MANAGEMENT_GATEWAY, nicDriversOutput, ownerOf, pathBetween, recorded, reversed, routeGet, type SimulatedVm } from './recorded-lab.ts';

export type ExitStatus = { code: number } | { signal: string };

export interface ProcessContext {
  args: RegExpExecArray;
  role: Role;
  vm: SimulatedVm;
  lab: LabState;
  /** The client's source port, for $SSH_CONNECTION. */
  clientPort: number;
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
  /** Aborted (reason: StopReason) when `timeout` or `kill` stops the process. */
  signal: AbortSignal;
  /** Stops this process as `kill PID` would; how a pid file's holder is stopped. */
  stop(reason: StopReason): void;
}

export interface Responder {
  name: string;
  /** The commands it answers, made from the check kinds' own command builders (command-pattern.ts). */
  patterns: RegExp[];
  run(context: ProcessContext): Promise<ExitStatus>;
}

const group = (c: ProcessContext, name: string): string => {
  const value = c.args.groups?.[name];
  if (value === undefined) throw new Error(`the pattern of this responder has no group ${name}`);
  return value;
};

const ok = { code: 0 };
const wait = (ms: number, context: ProcessContext) => sleep(ms * context.lab.timeScale, undefined, { signal: context.signal });

// Resolves with `promise`, or rejects as soon as the process is stopped.
function untilStopped<T>(promise: Promise<T>, context: ProcessContext): Promise<T> {
  const { signal } = context;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onStop = () => reject(signal.reason);
    signal.addEventListener('abort', onStop, { once: true });
    promise.then((value) => {
      signal.removeEventListener('abort', onStop);
      resolve(value);
    }, reject);
  });
}

const discovery: Responder = {
  name: 'discovery',
  patterns: [commandPattern(() => DISCOVERY_COMMAND)],
  async run(c) {
    await wait(25, c);
    c.stdout(`@@ssh ${MANAGEMENT_GATEWAY} ${c.clientPort} ${c.vm.managementAddress} 22\n@@addr\n${c.vm.ipAddrJson}@@route\n${c.vm.ipRouteJson}@@machine-id\n`);
    return ok;
  },
};

const nicDrivers: Responder = {
  name: 'virtio probe',
  patterns: [commandPattern(() => NIC_DRIVERS_COMMAND)],
  async run(c) {
    await wait(40, c);
    c.stdout(nicDriversOutput(c.vm));
    return ok;
  },
};

const ipForward: Responder = {
  name: 'ip_forward',
  patterns: [commandPattern(() => IP_FORWARD_COMMAND)],
  async run(c) {
    await wait(3, c);
    // The kernel's own setting in /proc/net/snmp, then the file (which a mount over it may change),
    // then each NIC's own value: the same as ip_forward's, as writing ip_forward sets them.
    const value = c.vm.ipForward.trim();
    const nics = ['all', 'default', ...c.vm.nics.map((n) => n.ifname)];
    c.stdout('Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams\n');
    c.stdout(`Ip: ${value === '1' ? 1 : 2} 64 12000 0 0 ${c.lab.forwardedBy(c.role)}\n`);
    c.stdout([(c.vm.ipForwardShown ?? c.vm.ipForward).trimEnd(), ...nics.map((nic) => `net.ipv4.conf.${nic}.forwarding = ${c.vm.nicForwarding?.[nic] ?? value}`), ''].join('\n'));
    return ok;
  },
};

const ipRouteGet: Responder = {
  name: 'ip route get',
  patterns: [commandPattern((a) => routeGetCommand(a.word('target')))],
  async run(c) {
    await wait(5, c);
    const answer = routeGet(c.vm, group(c, 'target'));
    c.stdout(answer.stdout);
    c.stderr(answer.stderr);
    return { code: answer.code };
  },
};

// iputils ping, in the layout of fixtures/ping/iputils-*.txt, one reply per interval.
const ping: Responder = {
  name: 'ping',
  patterns: [commandPattern((a) => pingCommand(a.number('count'), a.number('interval'), a.number('deadline'), a.word('target')))],
  async run(c) {
    const [count, interval, deadline, target] = [Number(group(c, 'count')), Number(group(c, 'interval')), Number(group(c, 'deadline')), group(c, 'target')];
    if (!isAddress(target)) {
      c.stderr(`ping: ${target}: Name or service not known\n`);
      return { code: 2 };
    }
    const route = lookupRoute(c.vm, target);
    if (!route || route.type) {
      c.stderr('ping: connect: Network is unreachable\n');
      return { code: 2 };
    }
    const path = pathBetween(c.lab.topology, c.vm, target);
    const started = performance.now();
    c.stdout(`PING ${target} (${target}) 56(84) bytes of data.\n`);
    const rtts: number[] = [];
    let sent = 0;
    for (let seq = 1; seq <= count && (seq - 1) * interval < deadline; seq++) {
      if (seq > 1) await wait(interval * 1000, c);
      sent++;
      if (!path) continue;
      const rtt = 0.35 + ((seq * 37) % 23) / 100;
      rtts.push(rtt);
      c.lab.carry(path.forward, 1, 84);
      c.lab.carry(path.back, 1, 84);
      c.stdout(`64 bytes from ${target}: icmp_seq=${seq} ttl=${path.replyTtl} time=${rtt.toFixed(3)} ms\n`);
    }
    if (!path) await wait(Math.max(0, deadline * 1000 - (performance.now() - started)), c);
    const loss = Math.round(((sent - rtts.length) / sent) * 100);
    const elapsed = Math.round(performance.now() - started);
    c.stdout(`\n--- ${target} ping statistics ---\n${sent} packets transmitted, ${rtts.length} received, ${loss}% packet loss, time ${elapsed}ms\n`);
    if (rtts.length > 0) {
      const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
      const mdev = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
      c.stdout(`rtt min/avg/max/mdev = ${[Math.min(...rtts), avg, Math.max(...rtts), mdev].map((v) => v.toFixed(3)).join('/')} ms\n`);
    }
    return { code: rtts.length > 0 ? 0 : 1 };
  },
};

// Debian's traceroute, in the layout of fixtures/traceroute/debian-*.txt.
const traceroute: Responder = {
  name: 'traceroute',
  patterns: [true, false].map((numeric) =>
    commandPattern((a) => tracerouteCommand({ probesPerHop: a.number('probes'), waitSeconds: a.number('wait'), maxHops: a.number('maxHops') }, a.word('target'), numeric)),
  ),
  async run(c) {
    const [probes, waitSeconds, maxHops, target] = [Number(group(c, 'probes')), Number(group(c, 'wait')), Number(group(c, 'maxHops')), group(c, 'target')];
    if (!isAddress(target)) {
      c.stderr(`${target}: Name or service not known\nCannot handle "host" cmdline arg \`${target}' on position 1 (argc 7)\n`);
      return { code: 2 };
    }
    c.stdout(`traceroute to ${target} (${target}), ${maxHops} hops max, 60 byte packets\n`);
    const path = pathBetween(c.lab.topology, c.vm, target);
    const hops = path?.hops ?? [];
    for (let hop = 1; hop <= maxHops; hop++) {
      const address = hops[hop - 1];
      if (address === undefined) {
        await wait(waitSeconds * 1000, c);
        c.stdout(` ${hop}  ${Array(probes).fill('*').join(' ')}\n`);
        continue;
      }
      await wait(15, c);
      // The probes cross the VMs before the one answering at this TTL, whose reply goes back the
      // way they came (UDP probes of 60 bytes, ICMP replies of 88).
      const answering = path!.forward[hop]!;
      const request = address === target ? path!.forward : [...path!.forward.slice(0, hop), { role: answering.role, inDev: answering.inDev }];
      c.lab.carry(request, probes, probes * 60);
      c.lab.carry(address === target ? path!.back : reversed(request), probes, probes * 88);
      const times = Array.from({ length: probes }, (_, i) => `${(0.05 / (i + 1) + hop * 0.01).toFixed(3)} ms`);
      c.stdout(` ${hop}  ${address}  ${times.join('  ')}\n`);
      if (address === target) break;
    }
    return ok;
  },
};

// `iperf3 -s -1 -J` started by the iperf check with its pid file: it listens until one test is
// over (then prints its JSON report and exits), or until `kill` or `timeout` stops it. It is
// preceded by a `kill` of the server an earlier grading left on the same pid file.
const iperfServer: Responder = {
  name: 'iperf3 server',
  patterns: [commandPattern((a) => iperfServerCommand(a.word('pidFile'), a.number('port')))],
  async run(c) {
    const [pidFile, port] = [group(c, 'pidFile'), Number(group(c, 'port'))];
    const stale = pidFile;
    const leftOver = c.lab.pidFiles.get(`${c.role}:${stale}`);
    if (leftOver) {
      leftOver('TERM');
      c.lab.pidFiles.delete(`${c.role}:${stale}`);
      await wait(300, c);
    }
    c.lab.pidFiles.set(`${c.role}:${pidFile}`, c.stop);
    const busy = c.lab.iperfServers.some((s) => s.role === c.role && s.port === port && s.ended === undefined);
    if (busy) {
      c.stdout(`{\n\t"start":\t{\n\t},\n\t"intervals":\t[],\n\t"end":\t{\n\t},\n\t"error":\t"unable to start listener for connections: Address already in use"\n}\n`);
      return { code: 1 };
    }
    const server: (typeof c.lab.iperfServers)[number] = { role: c.role, port, pidFile, state: 'starting' };
    c.lab.iperfServers.push(server);
    const done = new Promise<void>((resolve) => (server.testDone = resolve));
    try {
      await wait(30, c);
      server.state = 'listening';
      await untilStopped(done, c);
    } catch (error) {
      server.ended ??= c.signal.reason === 'timeout' ? 'timed-out' : 'killed';
      throw error;
    }
    server.ended ??= 'test-done';
    c.stdout(recorded('simulated/iperf3-server.json'));
    return ok;
  },
};

const iperfClient: Responder = {
  name: 'iperf3 client',
  patterns: [
    commandPattern((a) => iperfClientCommand(a.word('target'), { port: a.number('port'), durationSeconds: a.number('seconds') }, a.number('connectTimeout'))),
    commandPattern((a) => iperfClientCommand(a.word('target'), { port: a.number('port'), durationSeconds: a.number('seconds') }, undefined)),
  ],
  async run(c) {
    const [target, port, seconds] = [group(c, 'target'), Number(group(c, 'port')), Number(group(c, 'seconds'))];
    const connectTimeoutMs = c.args.groups?.connectTimeout === undefined ? 120_000 : Number(c.args.groups.connectTimeout);
    const path = pathBetween(c.lab.topology, c.vm, target);
    if (!path) {
      await wait(connectTimeoutMs, c);
      c.stdout(recorded('iperf3/connection-refused.json').replace('Connection refused', 'Connection timed out'));
      return { code: 1 };
    }
    const owner = ownerOf(c.lab.topology, target)!;
    const server = c.lab.iperfServers.find((s) => s.role === owner.role && s.port === port && s.state === 'listening' && s.ended === undefined);
    await wait(3, c);
    if (!server) {
      c.stdout(recorded('iperf3/connection-refused.json'));
      return ok; // iperf 3.12 exits 0 here with -J (fixtures/README.md)
    }
    server.state = 'testing';
    try {
      await wait(seconds * 1000 + 50, c);
    } finally {
      server.testDone?.();
    }
    // The recording is of a 2 s test; the router's counters see what `seconds` at its rate carry.
    const output = recorded('simulated/iperf3-client.json');
    const rate = (JSON.parse(output) as { end: { sum_sent: { bits_per_second: number } } }).end.sum_sent.bits_per_second;
    const sent = Math.round((rate * seconds) / 8);
    const segments = Math.ceil(sent / 1448);
    c.lab.carry(path.forward, segments, sent + segments * 66);
    c.lab.carry(path.back, Math.ceil(segments / 2), Math.ceil(segments / 2) * 66);
    c.stdout(output);
    return ok;
  },
};

// The router counters witness: each /sys/class/net/IF/statistics/NAME read with `read`, then the
// `Ip:` lines of /proc/net/snmp (forwarded datagrams).
const interfaceCounters: Responder = {
  name: 'interface counters',
  patterns: [commandPattern((a) => counterCommand({ towardVm1: a.word('towardVm1'), towardVm3: a.word('towardVm3') }))],
  async run(c) {
    await wait(3, c);
    const devs = new Set(c.vm.nics.map((n) => n.ifname));
    for (const file of counterFiles({ towardVm1: group(c, 'towardVm1'), towardVm3: group(c, 'towardVm3') })) {
      const [, dev = '', stat = ''] = /^\/sys\/class\/net\/([^/]+)\/statistics\/(\w+)$/.exec(file) ?? [];
      if (!devs.has(dev)) {
        c.stderr(`sh: 1: cannot open ${file}: No such file\n`);
        continue;
      }
      const counters = c.lab.countersOf(c.role, dev) as Record<string, number>;
      c.stdout(`${file}:${counters[stat] ?? 0}\n`);
    }
    c.stdout('Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers\n');
    c.stdout(`Ip: ${c.vm.ipForward.trim() === '1' ? 1 : 2} 64 12000 0 0 ${c.lab.forwardedBy(c.role)} 0 0 11000\n`);
    return { code: 0 };
  },
};

// What the diagnosis asks each VM after the checks, answered as an unprivileged user's shell
// would on the recorded VM: its links all up, no neighbour entries yet, default qdiscs, firewall
// listings refused (they need root), ip_forward, and `ip route get` for each address asked.
const OBSERVATION_PREFIX = observationCommand([]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const observations: Responder = {
  name: 'diagnosis observations',
  patterns: [new RegExp(`^${OBSERVATION_PREFIX}(?<gets>(?:; echo @@get '?[\\d.]+'?; ip route get '?[\\d.]+'? 2>&1)*)$`)],
  async run(c) {
    await wait(10, c);
    const links = c.vm.nics.map((n, i) =>
      n.ifname === 'lo'
        ? `${i + 1}: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00`
        : `${i + 1}: ${n.ifname}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:00:00:0${i} brd ff:ff:ff:ff:ff:ff`,
    );
    const qdiscs = c.vm.nics.map((n) => `qdisc noqueue 0: dev ${n.ifname} root refcnt 2 `);
    const [nft = '', nftCache = '', iptables = ''] = recorded('observations/unprivileged-firewall.txt').split('\n');
    c.stdout(['@@link', ...links, '@@neigh', '@@qdisc', ...qdiscs, '@@nft', nft, nftCache, '@@iptables', iptables, '@@forward', (c.vm.ipForwardShown ?? c.vm.ipForward).trim(), ''].join('\n'));
    for (const [, target = ''] of group(c, 'gets').matchAll(/@@get '?([\d.]+)'?/g)) {
      const answer = routeGet(c.vm, target);
      c.stdout(`@@get ${target}\n${answer.stdout}${answer.stderr}`);
    }
    return ok;
  },
};

// The target VM's own counters around a traffic check (grader/checks/target-counters.ts).
const targetCounters: Responder = {
  name: 'target counters',
  patterns: [commandPattern((a) => targetCounterCommand(a.word('nic')))],
  async run(c) {
    await wait(3, c);
    const nic = group(c, 'nic');
    const counters = c.lab.countersOf(c.role, nic) as Record<string, number>;
    for (const stat of ['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes']) c.stdout(`/sys/class/net/${nic}/statistics/${stat}:${counters[stat] ?? 0}\n`);
    return ok;
  },
};

// The tampering observation (grader/parse/tamper-signs.ts), answered as the recorded VM that the
// reference lab leaves (Debian's dotfiles, no hook, the kernel's /proc and /sys, dash), or as the
// VM's own recorded answer when the topology gives one.
const tamperSigns: Responder = {
  name: 'tampering observation',
  patterns: [commandPattern(() => TAMPER_COMMAND)],
  async run(c) {
    await wait(5, c);
    c.stdout(c.vm.tamperSigns ?? recorded('tampering/clean-vm.txt'));
    return ok;
  },
};

const killPidFile: Responder = {
  name: 'kill iperf3 server',
  patterns: [commandPattern((a) => stopServerCommand(a.word('pidFile')))],
  async run(c) {
    await wait(3, c);
    const key = `${c.role}:${group(c, 'pidFile')}`;
    c.lab.pidFiles.get(key)?.('TERM');
    c.lab.pidFiles.delete(key);
    return ok;
  },
};

export const RESPONDERS: readonly Responder[] = [discovery, nicDrivers, ipForward, ipRouteGet, ping, traceroute, iperfServer, iperfClient, interfaceCounters, targetCounters, observations, tamperSigns, killPidFile];

export function responderFor(command: string): { responder: Responder; args: RegExpExecArray } | undefined {
  for (const responder of RESPONDERS) {
    for (const pattern of responder.patterns) {
      const args = pattern.exec(command);
      if (args) return { responder, args };
    }
  }
  return undefined;
}

// What sh says of a command nobody simulates, and its status.
export function notFound(command: string): { stderr: string; status: ExitStatus } {
  return { stderr: `sh: 1: ${command.split(/\s+/)[0]}: not found\n`, status: { code: 127 } };
}
