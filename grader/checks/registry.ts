import type { CheckKind } from './check-kind.ts';
import { iperf } from './iperf.ts';
import { ipForward } from './ip-forward.ts';
import { ping } from './ping.ts';
import { routes } from './routes.ts';
import { subnets } from './subnets.ts';
import { traceroute } from './traceroute.ts';
import { virtio } from './virtio.ts';

// Every kind a check file may use, in the order the check file's schema lists them (adding a kind:
// docs/contributing.md).
export const CHECK_KINDS: readonly CheckKind[] = [subnets, virtio, ipForward, routes, ping, traceroute, iperf];

export function findKind(kind: string): CheckKind | undefined {
  return CHECK_KINDS.find((k) => k.kind === kind);
}
