// The reference lab's variants: `good`, and one student mistake each.
export const VARIANTS = [
  'good',
  'no-forwarding',
  'no-route',
  'no-return-route',
  'overlapping-subnets',
  'slow-link',
  'via-host',
  'firewall-drop',
  'router-down',
  'no-iperf',
  'wrong-gateway',
] as const;
export type Variant = (typeof VARIANTS)[number];

export function isVariant(value: string): value is Variant {
  return (VARIANTS as readonly string[]).includes(value);
}

/** What the student did, in the exercise's words; printed by `lab -- variants` and `list`. */
export const VARIANT_MISTAKES: Record<Variant, string> = {
  good: 'everything as the exercise asks',
  'no-forwarding': 'the router VM has net.ipv4.ip_forward=0',
  'no-route': 'VM1 has no route to internal network 2 (only its default route via the management network)',
  'no-return-route': 'VM3 has no route back to internal network 1',
  'overlapping-subnets':
    'internal network 2 was created as a /16 that contains internal network 1 (ping still works)',
  'slow-link': "the router VM's internal NICs are rate-limited to 20 Mbit/s (tc tbf) in both directions",
  'via-host':
    "VM1 and VM3 route via the hypervisor's .1 bridge addresses and the hypervisor forwards: ping works, not through the router",
  'firewall-drop': "forwarding is on but the router VM's firewall (nftables) drops forwarded packets",
  'router-down': "the router VM's sshd is not running (it still forwards)",
  'no-iperf': 'VM3 has no iperf3 on its PATH',
  'wrong-gateway':
    "VM1's route to internal network 2 goes via the router's management address (works, but over the management network)",
};

/** Rate of the `slow-link` variant's token bucket, well below a 100 Mbit/s floor. */
export const SLOW_LINK_RATE = '20mbit';
