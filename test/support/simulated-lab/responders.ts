// What a simulated VM answers, keyed by the command as the grader's checks write it (unwrapped).
// Each answer comes from the recordings (see recorded-lab.ts) and takes about as long as the real
// tool: ping count x interval, iperf3 its -t, the rest a few milliseconds.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Role } from '../../../grader/core/roles.ts';
import type { LabState, StopReason } from './lab-state.ts';
import { observationCommand } from '../../../grader/diagnose/observations.ts';
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
  pattern: RegExp;
  run(context: ProcessContext): Promise<ExitStatus>;
}

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
  pattern: /^printf "@@ssh %s\\n" "\$SSH_CONNECTION"; echo @@addr; ip -j addr show 2>\/dev\/null \|\| ip addr show; echo @@route; ip -j route show 2>\/dev\/null \|\| ip route show; echo @@machine-id; cat \/etc\/machine-id 2>\/dev\/null$/,
  async run(c) {
    await wait(25, c);
    c.stdout(`@@ssh ${MANAGEMENT_GATEWAY} ${c.clientPort} ${c.vm.managementAddress} 22\n@@addr\n${c.vm.ipAddrJson}@@route\n${c.vm.ipRouteJson}@@machine-id\n`);
    return ok;
  },
};

const nicDrivers: Responder = {
  name: 'virtio probe',
  pattern: /^PATH="\$PATH:\/usr\/sbin:\/sbin"; for d in \/sys\/class\/net\/\*; do n=\$\{d##\*\/\}; printf "@@nic %s\\n" "\$n"; printf "link: %s\\n" "\$\(readlink "\$d\/device\/driver" 2>\/dev\/null\)"; ethtool -i "\$n" 2>&1; done$/,
  async run(c) {
    await wait(40, c);
    c.stdout(nicDriversOutput(c.vm));
    return ok;
  },
};

const ipForward: Responder = {
  name: 'ip_forward',
  pattern: /^v=; read -r v < \/proc\/sys\/net\/ipv4\/ip_forward; \[ -n "\$v" \] && printf '%s\\n' "\$v"$/,
  async run(c) {
    await wait(3, c);
    c.stdout(c.vm.ipForward);
    return ok;
  },
};

const ipRouteGet: Responder = {
  name: 'ip route get',
  pattern: /^ip route get (\S+)$/,
  async run(c) {
    await wait(5, c);
    const answer = routeGet(c.vm, c.args[1]!);
    c.stdout(answer.stdout);
    c.stderr(answer.stderr);
    return { code: answer.code };
  },
};

// iputils ping, in the layout of fixtures/ping/iputils-*.txt, one reply per interval.
const ping: Responder = {
  name: 'ping',
  pattern: /^ping -c (\d+) -i ([\d.]+) -w (\d+) (\S+)$/,
  async run(c) {
    const [count, interval, deadline, target] = [Number(c.args[1]), Number(c.args[2]), Number(c.args[3]), c.args[4]!];
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
  pattern: /^traceroute (?:-n )?-q (\d+) -w ([\d.]+) -m (\d+) (\S+)$/,
  async run(c) {
    const [probes, waitSeconds, maxHops, target] = [Number(c.args[1]), Number(c.args[2]), Number(c.args[3]), c.args[4]!];
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
  pattern: /^\[ -f (\S+) \] && kill "\$\(cat \S+\)" 2>\/dev\/null && sleep 0\.3; command -v iperf3 >\/dev\/null \|\| exit 127; echo \$\$ > (\S+); exec iperf3 -s -1 -J -p (\d+)$/,
  async run(c) {
    const [stale, pidFile, port] = [c.args[1]!, c.args[2]!, Number(c.args[3])];
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
  pattern: /^iperf3 -J -c (\S+) -p (\d+) -t (\d+)(?: --connect-timeout (\d+))?$/,
  async run(c) {
    const [target, port, seconds] = [c.args[1]!, Number(c.args[2]), Number(c.args[3])];
    const connectTimeoutMs = c.args[4] === undefined ? 120_000 : Number(c.args[4]);
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
  pattern:
    /^for f in ((?:\/sys\/class\/net\/[^/\s]+\/statistics\/\w+ ?)+); do read -r v < "\$f" && printf '%s:%s\\n' "\$f" "\$v"; done; while read -r k rest; do case "\$k" in Ip:\) printf 'Ip: %s\\n' "\$rest" ;; esac; done < \/proc\/net\/snmp$/,
  async run(c) {
    await wait(3, c);
    const devs = new Set(c.vm.nics.map((n) => n.ifname));
    for (const file of c.args[1]!.trim().split(' ')) {
      const [, dev = '', stat = ''] = /^\/sys\/class\/net\/([^/]+)\/statistics\/(\w+)$/.exec(file) ?? [];
      if (!devs.has(dev)) {
        c.stderr(`sh: 1: cannot open ${file}: No such file\n`);
        continue;
      }
      const counters = c.lab.countersOf(c.role, dev) as Record<string, number>;
      c.stdout(`${file}:${counters[stat] ?? 0}\n`);
    }
    c.stdout('Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers\n');
    c.stdout(`Ip: ${c.role === 'router' ? 1 : 2} 64 12000 0 0 ${c.lab.forwardedBy(c.role)} 0 0 11000\n`);
    return { code: 0 };
  },
};

// What the diagnosis asks each VM after the checks, answered as an unprivileged user's shell
// would on the recorded VM: its links all up, no neighbour entries yet, default qdiscs, firewall
// listings refused (they need root), ip_forward, and `ip route get` for each address asked.
const OBSERVATION_PREFIX = observationCommand([]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const observations: Responder = {
  name: 'diagnosis observations',
  pattern: new RegExp(`^${OBSERVATION_PREFIX}((?:; echo @@get '?[\\d.]+'?; ip route get '?[\\d.]+'? 2>&1)*)$`),
  async run(c) {
    await wait(10, c);
    const links = c.vm.nics.map((n, i) =>
      n.ifname === 'lo'
        ? `${i + 1}: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00`
        : `${i + 1}: ${n.ifname}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:00:00:0${i} brd ff:ff:ff:ff:ff:ff`,
    );
    const qdiscs = c.vm.nics.map((n) => `qdisc noqueue 0: dev ${n.ifname} root refcnt 2 `);
    const [nft = '', nftCache = '', iptables = ''] = recorded('observations/unprivileged-firewall.txt').split('\n');
    c.stdout(['@@link', ...links, '@@neigh', '@@qdisc', ...qdiscs, '@@nft', nft, nftCache, '@@iptables', iptables, '@@forward', c.vm.ipForward.trim(), ''].join('\n'));
    for (const [, target = ''] of c.args[1]!.matchAll(/@@get '?([\d.]+)'?/g)) {
      const answer = routeGet(c.vm, target);
      c.stdout(`@@get ${target}\n${answer.stdout}${answer.stderr}`);
    }
    return ok;
  },
};

const killPidFile: Responder = {
  name: 'kill iperf3 server',
  pattern: /^kill \$\(cat (\S+)\) 2>\/dev\/null; rm -f (\S+)$/,
  async run(c) {
    await wait(3, c);
    const key = `${c.role}:${c.args[1]}`;
    c.lab.pidFiles.get(key)?.('TERM');
    if (c.args[2] === c.args[1]) c.lab.pidFiles.delete(key);
    return ok;
  },
};

export const RESPONDERS: readonly Responder[] = [discovery, nicDrivers, ipForward, ipRouteGet, ping, traceroute, iperfServer, iperfClient, interfaceCounters, observations, killPidFile];

export function responderFor(command: string): { responder: Responder; args: RegExpExecArray } | undefined {
  for (const responder of RESPONDERS) {
    const args = responder.pattern.exec(command);
    if (args) return { responder, args };
  }
  return undefined;
}

// What sh says of a command nobody simulates, and its status.
export function notFound(command: string): { stderr: string; status: ExitStatus } {
  return { stderr: `sh: 1: ${command.split(/\s+/)[0]}: not found\n`, status: { code: 127 } };
}
