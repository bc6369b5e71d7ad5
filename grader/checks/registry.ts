import type { CheckKind } from './check-kind.ts';
import { iperf } from './kinds/iperf.ts';
import { ipForward } from './kinds/ip-forward.ts';
import { ping } from './kinds/ping.ts';
import { plan } from './kinds/plan.ts';
import { routes } from './kinds/routes.ts';
import { subnets } from './kinds/subnets.ts';
import { traceroute } from './kinds/traceroute.ts';
import { virtio } from './kinds/virtio.ts';

// Every kind a check file may use, in the order the check file's schema lists them (adding a kind:
// docs/contributing.md).
export const CHECK_KINDS: readonly CheckKind[] = [subnets, virtio, ipForward, routes, ping, traceroute, iperf, plan];

export function findKind(kind: string): CheckKind | undefined {
  return CHECK_KINDS.find((k) => k.kind === kind);
}
