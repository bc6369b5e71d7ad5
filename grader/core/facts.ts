// What discovery observed on one VM: IPv4 only, since the exercise is IPv4.
export interface Ipv4Address {
  address: string;
  prefixLength: number;
}

export interface NetworkInterface {
  name: string;
  /** Operational state as iproute2 reports it (UP, DOWN, UNKNOWN), when known. */
  state?: string;
  mac?: string;
  addresses: Ipv4Address[];
}

export interface Route {
  /** 'default' or a CIDR such as 10.0.1.0/24 (a host route is /32). */
  destination: string;
  gateway?: string;
  device?: string;
  source?: string;
  protocol?: string;
  scope?: string;
  metric?: number;
}

// The answer of `ip route get ADDR`: the route the kernel actually takes.
export interface RouteDecision {
  destination: string;
  gateway?: string;
  device?: string;
  source?: string;
  /** 'unicast', 'unreachable', 'prohibit', 'blackhole', 'local'... @default 'unicast' */
  type: string;
}
