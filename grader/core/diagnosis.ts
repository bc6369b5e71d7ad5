// Where the packets stopped and what to type: one root cause of a broken lab, found after the
// checks from what they and discovery observed. A diagnosis explains results; it never changes one.

/** The stable codes of the causes (README, "What to fix"). */
export const CAUSES = [
  'unreachable-vm',
  'no-internal-address',
  'link-down',
  'overlapping-subnets',
  'router-not-on-network',
  'forwarding-off',
  'no-route',
  'route-bypasses-router',
  'wrong-gateway',
  'no-return-route',
  'filtered',
  'packet-loss',
  'slow-path',
  'tool-missing',
  'not-virtio',
  'login-refused',
  'stale-neighbour',
  'address-conflict',
  'mtu-blackhole',
  'router-silent',
  'addresses-swapped',
  'nat-on-router',
] as const;
export type Cause = (typeof CAUSES)[number];

export type DiagnosisHost = 'vm1' | 'router' | 'vm3' | 'lab';

export interface Diagnosis {
  cause: Cause;
  /** The machine where the fix is typed; 'lab' for the lab as a whole (the hypervisor's networks, or several VMs alike). */
  host: DiagnosisHost;
  /** The NIC at fault, when one is. */
  nic?: string;
  /** One sentence in the exercise's words, with the lab's own addresses and NIC names. */
  summary: string;
  /** The exact commands (or steps) to type, with the lab's own values, in order. */
  fix: string[];
  /** How to make the fix survive a reboot, when it does not by itself. */
  persist?: string;
  /** The observations the diagnosis rests on. */
  evidence: string[];
  /** The results it explains, named `id host` (`ping vm1`) or `id` for a lab result (`subnets`). */
  results: string[];
}

/** The name a diagnosis uses for a result: `id host`, or `id` alone for a check about the lab. */
export function resultName(result: { id: string; host: string }): string {
  return result.host === '' || result.host === 'lab' ? result.id : `${result.id} ${result.host}`;
}
