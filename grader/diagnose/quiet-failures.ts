// What the diagnoses of "ping passes, something else fails" (path MTU, a router silent to
// traceroute, a VM firewall that admits ping only) start from: the path itself works.
import type { LabView } from './lab-view.ts';

/** Ping ran and every ping passed: the path carries small packets both ways. */
export function trafficPartlyWorks(view: LabView): boolean {
  const pings = view.results.filter((r) => r.kind === 'ping');
  return pings.length > 0 && pings.every((r) => r.status === 'pass');
}
