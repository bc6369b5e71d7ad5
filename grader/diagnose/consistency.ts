// A diagnosis never contradicts a passing check: for each cause, the check kinds whose passing
// results refute it. A cause whose refuting checks all ran and all passed is not given: the
// checks looked at exactly what it claims and found it right. Pure, and data: a new cause says
// here what refutes it (consistency.test.ts asks every cause).
import type { Cause, Diagnosis } from '../core/diagnosis.ts';
import type { CheckResult } from '../core/result.ts';

/** Where the refuting results are: on the diagnosis's own VM, or anywhere in the lab. */
type Scope = 'same-host' | 'lab';

export interface Refutation {
  kinds: readonly string[];
  scope: Scope;
}

const ROUTE = { kinds: ['routes'], scope: 'same-host' } as const;
// The traffic between the VMs went through: nothing on the path blocks it.
const TRAFFIC = { kinds: ['ping', 'traceroute', 'iperf'], scope: 'lab' } as const;
const ADDRESSING = { kinds: ['subnets'], scope: 'lab' } as const;

/** What refutes each cause; `null`: no check looks at what the cause claims. */
export const REFUTED_BY: Record<Cause, Refutation | null> = {
  'unreachable-vm': null,
  'no-internal-address': ADDRESSING,
  'link-down': TRAFFIC,
  // A management network that overlaps an internal one is no part of the subnets check.
  'overlapping-subnets': null,
  'router-not-on-network': ADDRESSING,
  'forwarding-off': { kinds: ['ip-forward'], scope: 'same-host' },
  'no-route': ROUTE,
  'route-bypasses-router': ROUTE,
  'wrong-gateway': ROUTE,
  'no-return-route': ROUTE,
  filtered: TRAFFIC,
  // A share of packets lost may stay under the ping check's threshold.
  'packet-loss': null,
  'slow-path': { kinds: ['iperf'], scope: 'lab' },
  'tool-missing': null,
  'not-virtio': { kinds: ['virtio'], scope: 'same-host' },
  'stale-neighbour': TRAFFIC,
  'address-conflict': TRAFFIC,
  // A black hole stalls full-size segments: iperf's transfer.
  'mtu-blackhole': { kinds: ['iperf'], scope: 'lab' },
  'router-silent': { kinds: ['traceroute'], scope: 'lab' },
  'addresses-swapped': TRAFFIC,
  // The traffic checks fail traffic they see translated.
  'nat-on-router': TRAFFIC,
  // Nothing was inspected on a VM the grader could not log in to.
  'login-refused': null,
};

// The results that would refute `d`: of the refuting kinds, on its VM when the scope says so.
function refuting(d: Diagnosis, results: readonly CheckResult[]): CheckResult[] {
  const rule = REFUTED_BY[d.cause];
  if (!rule) return [];
  return results.filter((r) => rule.kinds.includes(r.kind) && (rule.scope === 'lab' || r.host === d.host));
}

/** True when the checks that look at what `d` claims all ran and all passed. */
export function contradictsPassingChecks(d: Diagnosis, results: readonly CheckResult[]): boolean {
  const found = refuting(d, results);
  return found.length > 0 && found.every((r) => r.status === 'pass');
}

/** The diagnoses that no passing check refutes. */
export function consistentWith(diagnoses: Diagnosis[], results: readonly CheckResult[]): Diagnosis[] {
  return diagnoses.filter((d) => !contradictsPassingChecks(d, results));
}
