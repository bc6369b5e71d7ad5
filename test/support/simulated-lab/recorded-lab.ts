// The good lab the simulation plays: each VM's recorded `ip -j addr` / `ip -j route` (adapted in
// fixtures/simulated/ so that the three agree, see its README) and a small model of the paths
// between them, from which `ip route get`, ping and traceroute answers (and the traffic the
// router's interface counters see) are derived.
import { readFileSync } from 'node:fs';
import type { Role } from '../../../grader/core/roles.ts';

const FIXTURES = new URL('../../../fixtures/', import.meta.url);
const cache = new Map<string, string>();

// A recorded output from fixtures/, read once per process.
export function recorded(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(new URL(path, FIXTURES), 'utf8');
    cache.set(path, text);
  }
  return text;
}

interface IpAddrNic {
  ifname: string;
  addr_info: Array<{ family: string; local: string; prefixlen: number }>;
}

interface IpRoute {
  dst: string;
  type?: string;
  gateway?: string;
  dev?: string;
  prefsrc?: string;
}

export interface SimulatedVm {
  role: Role;
  /** The address the VM says the SSH connection reached ($SSH_CONNECTION). */
  managementAddress: string;
  ipAddrJson: string;
  ipRouteJson: string;
  nics: IpAddrNic[];
  routes: IpRoute[];
  /** Content of /proc/sys/net/ipv4/ip_forward: the kernel's setting. */
  ipForward: string;
  /** A NIC's own net.ipv4.conf.<nic>.forwarding where it is not ip_forward's value. */
  nicForwarding?: Record<string, string>;
  /** What reading /proc/sys/net/ipv4/ip_forward shows when a file is mounted over it (the kernel keeps `ipForward`). */
  ipForwardShown?: string;
  /** The answer to the tampering observation (default: fixtures/tampering/clean-vm.txt). */
  tamperSigns?: string;
}

/** The management network's gateway: libvirt's host, which the simulation does not play. */
export const MANAGEMENT_GATEWAY = '192.168.122.1';

function vm(role: Role, managementAddress: string, ipForwardFixture: string): SimulatedVm {
  const ipAddrJson = recorded(`simulated/${role}-ip-addr.json`);
  const ipRouteJson = recorded(`simulated/${role}-ip-route.json`);
  return {
    role,
    managementAddress,
    ipAddrJson,
    ipRouteJson,
    nics: JSON.parse(ipAddrJson) as IpAddrNic[],
    routes: JSON.parse(ipRouteJson) as IpRoute[],
    ipForward: recorded(ipForwardFixture),
  };
}

export type SimulatedTopology = Record<Role, SimulatedVm>;

export function goodLab(): SimulatedTopology {
  return {
    vm1: vm('vm1', '192.168.122.50', 'sysctl/proc-ip-forward-vm1.txt'),
    router: vm('router', '192.168.122.51', 'sysctl/proc-ip-forward-router.txt'),
    vm3: vm('vm3', '192.168.122.52', 'sysctl/proc-ip-forward-vm1.txt'),
  };
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function inSubnet(address: string, cidr: string): { prefix: number } | undefined {
  if (cidr === 'default') return { prefix: 0 };
  const [network = '', bits = '32'] = cidr.split('/');
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return ((toInt(address) & mask) >>> 0) === ((toInt(network) & mask) >>> 0) ? { prefix } : undefined;
}

export function isAddress(value: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(value) && value.split('.').every((o) => Number(o) <= 255);
}

export function addressesOf(vm: SimulatedVm): Array<{ dev: string; address: string; prefix: number }> {
  return vm.nics.flatMap((nic) => nic.addr_info.filter((a) => a.family === 'inet').map((a) => ({ dev: nic.ifname, address: a.local, prefix: a.prefixlen })));
}

export function ownerOf(lab: SimulatedTopology, address: string): SimulatedVm | undefined {
  return Object.values(lab).find((v) => addressesOf(v).some((a) => a.address === address));
}

// The kernel's choice: the longest matching prefix (metrics do not matter in these tables).
export function lookupRoute(vm: SimulatedVm, destination: string): IpRoute | undefined {
  let best: { route: IpRoute; prefix: number } | undefined;
  for (const route of vm.routes) {
    const match = inSubnet(destination, route.dst);
    if (match && (!best || match.prefix > best.prefix)) best = { route, prefix: match.prefix };
  }
  return best?.route;
}

function sourceFor(vm: SimulatedVm, route: IpRoute): string | undefined {
  return route.prefsrc ?? addressesOf(vm).find((a) => a.dev === route.dev)?.address;
}

// `ip route get DESTINATION` as iproute2 prints it (fixtures/ip-route/get-*.txt).
export function routeGet(vm: SimulatedVm, destination: string): { stdout: string; stderr: string; code: number } {
  if (!isAddress(destination)) return { stdout: '', stderr: `Error: any valid prefix is expected rather than "${destination}".\n`, code: 1 };
  const own = addressesOf(vm).find((a) => a.address === destination);
  if (own || destination.startsWith('127.')) {
    return { stdout: `local ${destination} dev lo src ${own?.address ?? '127.0.0.1'} uid 0 \n    cache <local> \n`, stderr: '', code: 0 };
  }
  const route = lookupRoute(vm, destination);
  if (!route) return { stdout: '', stderr: 'RTNETLINK answers: Network is unreachable\n', code: 2 };
  if (route.type) return { stdout: '', stderr: recorded(`ip-route/get-${route.type}.txt`), code: 2 };
  const via = route.gateway ? ` via ${route.gateway}` : '';
  return { stdout: `${destination}${via} dev ${route.dev} src ${sourceFor(vm, route)} uid 0 \n    cache \n`, stderr: '', code: 0 };
}

/** One VM a packet crosses: the NIC it came in by (none where it starts), the one it leaves by. */
export interface Leg {
  role: Role;
  inDev?: string;
  outDev?: string;
}

export interface Path {
  /** The address answering at each TTL: routers' incoming addresses, then the destination. */
  hops: string[];
  /** TTL of the replies as they arrive: 64 less one per router on the way back. */
  replyTtl: number;
  /** The VMs the request and the reply cross, for their interface counters. */
  forward: Leg[];
  back: Leg[];
}

function devOf(vm: SimulatedVm, address: string): string | undefined {
  return addressesOf(vm).find((a) => a.address === address)?.dev;
}

function oneWay(lab: SimulatedTopology, from: SimulatedVm, destination: string): { hops: string[]; legs: Leg[] } | undefined {
  const hops: string[] = [];
  const legs: Leg[] = [];
  let at = from;
  let inDev: string | undefined;
  for (let ttl = 0; ttl < 8; ttl++) {
    if (devOf(at, destination)) {
      legs.push({ role: at.role, inDev });
      return { hops: hops.length === 0 ? [destination] : hops, legs };
    }
    if (at !== from && at.ipForward.trim() !== '1') return undefined;
    const route = lookupRoute(at, destination);
    if (!route || route.type) return undefined;
    legs.push({ role: at.role, inDev, outDev: route.dev });
    const next = route.gateway ?? destination;
    const nextVm = ownerOf(lab, next);
    if (!nextVm) return undefined; // the hypervisor or a machine nobody plays: nothing answers
    hops.push(next);
    inDev = devOf(nextVm, next);
    at = nextVm;
  }
  return undefined;
}

// The legs a reply crosses when it goes back the way the request came.
export function reversed(legs: Leg[]): Leg[] {
  return [...legs].reverse().map(({ role, inDev, outDev }) => ({ role, inDev: outDev, outDev: inDev }));
}

// The path a probe from `from` to `destination` takes, when it gets there and its reply gets back.
export function pathBetween(lab: SimulatedTopology, from: SimulatedVm, destination: string): Path | undefined {
  const forward = oneWay(lab, from, destination);
  const target = ownerOf(lab, destination);
  const route = lookupRoute(from, destination);
  const source = route && !route.type ? sourceFor(from, route) : undefined;
  if (!forward || !target || !source) return undefined;
  const back = target === from ? { hops: [source], legs: [] } : oneWay(lab, target, source);
  if (!back) return undefined;
  return { hops: forward.hops, replyTtl: 64 - (back.hops.length - 1), forward: forward.legs, back: back.legs };
}

// The virtio probe's answer: every NIC in /sys/class/net (glob order) with its driver link and
// `ethtool -i`, as recorded from a VirtIO NIC (fixtures/ethtool/*-virtio.txt); lo has neither.
export function nicDriversOutput(vm: SimulatedVm): string {
  const names = vm.nics.map((n) => n.ifname).sort();
  return names
    .map((name) =>
      name === 'lo'
        ? `@@nic lo\nlink: ${recorded('ethtool/readlink-veth.txt').trim()}\n${recorded('ethtool/ethtool-i-lo.txt')}`
        : `@@nic ${name}\nlink: ${recorded('ethtool/readlink-virtio.txt').trim()}\n${recorded('ethtool/ethtool-i-virtio.txt')}`,
    )
    .join('');
}
