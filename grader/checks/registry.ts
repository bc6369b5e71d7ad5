import type { CheckKind } from './check-kind.ts';
import { iperf } from './iperf.ts';
import { ipForward } from './ip-forward.ts';
import { ping } from './ping.ts';
import { routes } from './routes.ts';
import { subnets } from './subnets.ts';
import { traceroute } from './traceroute.ts';
import { virtio } from './virtio.ts';

// Every kind a check file may use. A new kind is listed here, and needs more than this line.
export const CHECK_KINDS = [subnets, virtio, ipForward, routes, ping, traceroute, iperf] as const satisfies readonly CheckKind<never>[];

export type AnyCheckKind = (typeof CHECK_KINDS)[number];

export function findKind(kind: string): AnyCheckKind | undefined {
  return CHECK_KINDS.find((k) => k.kind === kind);
}
