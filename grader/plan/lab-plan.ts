// A student's own addressing plan (issue: every student their own lab plan): the two internal
// networks of the exercise and the router's address on each. VM1 and VM3 take their addresses by
// DHCP from the upper half of their network; the router's address is fixed, from the lower half.

export interface LabPlan {
  studentId: string;
  /** The internal network VM1's second NIC is on (CIDR, e.g. `10.37.4.0/24`). */
  vm1Network: string;
  /** The internal network VM3's second NIC is on. */
  vm3Network: string;
  /** The router's address on VM1's network: VM1's gateway to VM3's network. */
  routerOnVm1: string;
  /** The router's address on VM3's network. */
  routerOnVm3: string;
  /** 0 for the first draw, one more for each `--reseed`. */
  draw: number;
  /** What it was drawn from, so that later draws (a new student, a reseed) use the same. */
  drawnFrom: PlanPools;
}

/** Where plans are drawn: networks of `prefixLength` inside `pools`, none overlapping `exclude`. */
export interface PlanPools {
  pools: string[];
  prefixLength: number;
  /** The management network and any other use of the pools' space. */
  exclude: string[];
}

/** The private ranges (RFC 1918). */
export const DEFAULT_POOLS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** libvirt's default network, the management network of the exercise's first NIC. */
export const DEFAULT_EXCLUDE = ['192.168.122.0/24'];
export const DEFAULT_PREFIX_LENGTH = 24;
/** A network needs the host's bridge, the router, and a DHCP range: at least 8 addresses. */
export const LONGEST_PREFIX = 29;

/** The plan's fields a check and the handout use, in the order they are shown. */
export const PLAN_FIELDS = ['vm1Network', 'vm3Network', 'routerOnVm1', 'routerOnVm3'] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

/** A plan as the course record holds it (JSON written by the plans command); anything else is not one. */
export function isLabPlan(plan: unknown): plan is LabPlan {
  const p = plan as Partial<LabPlan> | null;
  return !!p && typeof p.studentId === 'string' && PLAN_FIELDS.every((field) => typeof p[field] === 'string') && typeof p.draw === 'number' && !!p.drawnFrom;
}
