import { createHmac } from 'node:crypto';
import { formatSubnet, hostAddress, ipv4ToInt, parseSubnet, subnetsOverlap, type Subnet } from '../core/ipv4.ts';
import { LONGEST_PREFIX, type LabPlan, type PlanPools } from './lab-plan.ts';

// Drawing plans: deterministic from the course secret, the student id and the draw number, so
// that the same store gives the same plans; a network already taken (another student's, an
// excluded range, the plan's other network) is skipped by drawing the next candidate.

// Random candidates first; when that many were all taken (pools nearly full), an exact scan.
const RANDOM_TRIES = 64;

/** A uniform-enough integer in [0, bound) from the secret and a label (HMAC-SHA256, 48 bits). */
function drawInteger(secret: string, label: string, bound: number): number {
  const digest = createHmac('sha256', secret).update(label, 'utf8').digest();
  return digest.readUIntBE(0, 6) % bound;
}

const startOf = (subnet: Subnet) => ipv4ToInt(subnet.network);
const endOf = (subnet: Subnet) => startOf(subnet) + 2 ** (32 - subnet.prefixLength) - 1;

/** The network of `prefixLength` numbered `index` across the pools, in pool order. */
function candidate(pools: readonly Subnet[], prefixLength: number, index: number): Subnet {
  let rest = index;
  for (const pool of pools) {
    const count = 2 ** (prefixLength - pool.prefixLength);
    if (rest < count) return { network: hostAddress(pool, rest * 2 ** (32 - prefixLength)), prefixLength };
    rest -= count;
  }
  throw new Error(`candidate ${index} is outside the pools`);
}

/** Which pool candidate `index` is in, and its position there. */
function locate(counts: readonly number[], index: number): { pool: number; position: number } {
  let rest = index;
  for (const [pool, count] of counts.entries()) {
    if (rest < count) return { pool, position: rest };
    rest -= count;
  }
  throw new Error(`candidate ${index} is outside the pools`);
}

/**
 * The first free network from candidate `from` on, around every pool once: a candidate inside a
 * taken range jumps past that range, so the scan costs about the number of taken ranges, not the
 * number of candidates.
 */
function scanFree(pools: readonly Subnet[], prefixLength: number, from: number, avoid: readonly Subnet[]): Subnet | undefined {
  const size = 2 ** (32 - prefixLength);
  const counts = pools.map((pool) => 2 ** (prefixLength - pool.prefixLength));
  const total = counts.reduce((sum, count) => sum + count, 0);
  for (let visited = 0, index = from; visited < total; ) {
    const network = candidate(pools, prefixLength, index);
    const blocker = avoid.find((other) => subnetsOverlap(network, other));
    if (!blocker) return network;
    const { pool, position } = locate(counts, index);
    const past = Math.ceil((endOf(blocker) + 1 - startOf(pools[pool]!)) / size);
    const step = Math.min(Math.max(past, position + 1), counts[pool]!) - position;
    visited += step;
    index = (index + step) % total;
  }
  return undefined;
}

export class PlanDrawError extends Error {}

/** The pools and exclusions as subnets; every mistake is reported at once. */
export function checkPlanPools(pools: PlanPools): string[] {
  const problems: string[] = [];
  if (pools.pools.length === 0) problems.push('--pool: at least one pool is needed');
  if (!Number.isInteger(pools.prefixLength) || pools.prefixLength < 1 || pools.prefixLength > LONGEST_PREFIX) {
    problems.push(`--prefix-length must be a whole number from 1 to ${LONGEST_PREFIX} (a network needs at least 8 addresses), got '${pools.prefixLength}'`);
  }
  for (const [option, list] of [['--pool', pools.pools], ['--exclude', pools.exclude]] as const) {
    for (const cidr of list) {
      let subnet: Subnet;
      try {
        subnet = parseSubnet(cidr);
      } catch {
        problems.push(`${option} '${cidr}' is not an IPv4 network (A.B.C.D/N)`);
        continue;
      }
      if (formatSubnet(subnet) !== cidr) problems.push(`${option} '${cidr}' has host bits set: did you mean ${formatSubnet(subnet)}?`);
      if (option === '--pool' && subnet.prefixLength > pools.prefixLength) {
        problems.push(`--pool ${cidr} is smaller than one /${pools.prefixLength} network (--prefix-length)`);
      }
    }
  }
  return problems;
}

/**
 * The plan of `studentId` at draw `draw`: two networks that overlap nothing in `taken` (other
 * students' networks), the pools' exclusions or each other, and the router's address on each,
 * drawn from the lower half of its network (the upper half is the DHCP range).
 */
export function drawPlan(secret: string, studentId: string, draw: number, pools: PlanPools, taken: readonly Subnet[]): LabPlan {
  const inPools = pools.pools.map(parseSubnet);
  const avoid = [...pools.exclude.map(parseSubnet), ...taken];
  const total = inPools.reduce((sum, pool) => sum + 2 ** (pools.prefixLength - pool.prefixLength), 0);
  const networks: Subnet[] = [];
  for (let k = 0; networks.length < 2; k++) {
    const index = drawInteger(secret, `network:${studentId}:${draw}:${k}`, total);
    const taken = [...avoid, ...networks];
    const network = k < RANDOM_TRIES ? candidate(inPools, pools.prefixLength, index) : scanFree(inPools, pools.prefixLength, index, taken);
    if (!network) break;
    if (!taken.some((other) => subnetsOverlap(network, other))) networks.push(network);
  }
  const [vm1, vm3] = networks;
  if (!vm1 || !vm3) {
    throw new PlanDrawError(`no free /${pools.prefixLength} network is left in ${pools.pools.join(', ')} for student ${studentId}: give a larger --pool or a longer --prefix-length`);
  }
  const half = 2 ** (32 - pools.prefixLength) / 2;
  // Host 1 is the hypervisor's bridge; the router takes one of hosts 2 .. half-1.
  const router = (network: Subnet, which: string) => hostAddress(network, 2 + drawInteger(secret, `router:${studentId}:${draw}:${which}`, half - 2));
  return {
    studentId,
    vm1Network: formatSubnet(vm1),
    vm3Network: formatSubnet(vm3),
    routerOnVm1: router(vm1, 'vm1'),
    routerOnVm3: router(vm3, 'vm3'),
    draw,
    drawnFrom: { pools: [...pools.pools], prefixLength: pools.prefixLength, exclude: [...pools.exclude] },
  };
}

/** The networks a plan takes. */
export function planNetworks(plan: Pick<LabPlan, 'vm1Network' | 'vm3Network'>): Subnet[] {
  return [parseSubnet(plan.vm1Network), parseSubnet(plan.vm3Network)];
}

/**
 * The class's plans after drawing for the students who have none (in student-id order) and
 * again for those in `reseed`: the kept plans are unchanged, and no two plans overlap.
 */
export function drawClassPlans(secret: string, studentIds: readonly string[], kept: readonly LabPlan[], pools: PlanPools, reseed: readonly string[] = []): { plans: LabPlan[]; drawn: LabPlan[] } {
  const byStudent = new Map(kept.map((plan) => [plan.studentId, plan]));
  const redraw = new Set(reseed);
  const order = [...new Set(studentIds)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const drawn: LabPlan[] = [];
  for (const studentId of order) {
    const before = byStudent.get(studentId);
    if (before && !redraw.has(studentId)) continue;
    const taken = [...byStudent.values()].filter((plan) => plan.studentId !== studentId).flatMap(planNetworks);
    const plan = drawPlan(secret, studentId, before ? before.draw + 1 : 0, pools, taken);
    byStudent.set(studentId, plan);
    drawn.push(plan);
  }
  return { plans: order.flatMap((id) => byStudent.get(id) ?? []), drawn };
}
