// Judging a path's counters against the traffic the grader caused (pure). The router's two
// internal NICs are read before and after a check's traffic, in the kernel (in the VM) or on the
// hypervisor's taps, from the router's point of view: `rx` is what came in to it on that NIC.
// Traffic from VM1 to VM3 through the router comes in on its NIC toward VM1 and goes out of its NIC
// toward VM3; the replies take the other way. Traffic to the router's own addresses comes in and
// goes out of the same NIC, so it cancels out of `rx - tx` on each NIC; forwarding one way only
// does not.

/** What one NIC counted between the two reads. */
export interface NicDelta {
  rxPackets?: number;
  txPackets?: number;
  rxBytes?: number;
  txBytes?: number;
}

export interface PathDeltas {
  /** The router's NIC the traffic comes from (toward its source VM) and the one toward its target. */
  source: { nic: string; delta: NicDelta };
  target: { nic: string; delta: NicDelta };
  /** Datagrams the router's kernel forwarded (any direction), when known. */
  forwarded?: number;
  /** Wall time between the two reads. */
  seconds: number;
}

/** A range the grader's own traffic explains: at least `min`, at most `max` (before slack). */
export interface Span {
  min: number;
  max: number;
}

export interface TrafficExpectation {
  unit: 'packets' | 'bytes';
  /** Requests (or data) from the source VM to the target, and replies (or ACKs) back. */
  toward: Span;
  back: Span;
  /** Forwarded datagrams the traffic needs and explains, when the kernel's count is read. */
  forwarded?: Span;
}

// What other traffic a real lab has on the way, besides the grader's: ARP, IPv6 router and
// neighbour solicitations, mDNS, a DHCP renewal (a good reference lab's ping once counted 9 more
// packets in than its 5 requests). Upper bounds are for tampering, which invents orders of
// magnitude; the lower bounds and the forwarded count catch missing replies.
function slackOf(expect: TrafficExpectation, seconds: number): number {
  if (expect.unit === 'packets') return 20 + Math.ceil(10 * seconds);
  return 65_536 + Math.ceil(0.1 * expect.toward.max);
}

// Beyond any NIC a VM has (hundreds of Gbit/s, tens of millions of packets a second): counters
// that moved this much were written, not counted.
const MAX_PACKETS_PER_SECOND = 20_000_000;
const MAX_BYTES_PER_SECOND = 50_000_000_000;

// The kernel's forwarded datagrams against what the traffic needs and explains.
function forwardedOutOfSpan(deltas: PathDeltas, expect: TrafficExpectation, slack: number): string | undefined {
  const forwarded = deltas.forwarded;
  if (forwarded === undefined || !expect.forwarded) return undefined;
  const { min, max } = expect.forwarded;
  if (forwarded < min) return `it forwarded ${forwarded} datagrams, fewer than the ${min} this traffic needs`;
  if (expect.unit === 'packets' && forwarded > max + slack) return `it forwarded ${forwarded} datagrams, more than the at most ${max} this traffic explains`;
  const received = (deltas.source.delta.rxPackets ?? 0) + (deltas.target.delta.rxPackets ?? 0);
  if (expect.unit === 'bytes' && forwarded > received + slack) return `it forwarded ${forwarded} datagrams, more than its two internal NICs received`;
  return undefined;
}

/** How far the split of forwarded datagrams into the two directions may fall short (see judgeTraffic). */
const SPLIT_TOLERANCE = 1;
/** The fewest datagrams the split may show in a direction that needs `min`: one short, never none. */
const atLeast = (min: number) => Math.min(min, Math.max(1, min - SPLIT_TOLERANCE));

const word = (unit: TrafficExpectation['unit']) => (unit === 'packets' ? 'packets' : 'bytes');

/**
 * The problems of a path's counters for this traffic, none when they are what it explains: every
 * counter moved forward and by a physically possible amount; on each NIC, in each direction, the
 * grader's requests and replies and little else; both NICs agree on how much more went toward the
 * target than came back; and the kernel's forwarded datagrams split into the two directions so.
 */
export function judgeTraffic(deltas: PathDeltas, expect: TrafficExpectation): string[] {
  const { source, target, seconds } = deltas;
  const unit = word(expect.unit);
  const slack = slackOf(expect, seconds);
  const problems: string[] = [];
  const window = Math.max(seconds, 0) + 1;
  for (const { nic, delta } of [source, target]) {
    for (const [name, value] of Object.entries(delta) as Array<[keyof NicDelta, number | undefined]>) {
      if (value === undefined) continue;
      const perSecond = name.endsWith('Bytes') ? MAX_BYTES_PER_SECOND : MAX_PACKETS_PER_SECOND;
      if (value < 0) problems.push(`${nic}'s ${name} went backwards (${value}): the counters were reset or written`);
      else if (value > perSecond * window) problems.push(`${nic}'s ${name} rose by ${value} in ${seconds.toFixed(1)} s, more than any NIC carries: the counters were written, not counted`);
    }
  }
  if (deltas.forwarded !== undefined && (deltas.forwarded < 0 || deltas.forwarded > MAX_PACKETS_PER_SECOND * window)) {
    problems.push(`its forwarded datagrams moved by ${deltas.forwarded} in ${seconds.toFixed(1)} s: the counter was reset or written`);
  }
  if (problems.length > 0) return problems;

  const forwardedProblem = forwardedOutOfSpan(deltas, expect, slack);
  if (forwardedProblem) problems.push(forwardedProblem);
  const rx = (d: NicDelta) => (expect.unit === 'packets' ? d.rxPackets : d.rxBytes);
  const tx = (d: NicDelta) => (expect.unit === 'packets' ? d.txPackets : d.txBytes);
  const legs = [
    { what: `in from the source on ${source.nic}`, value: rx(source.delta), span: expect.toward },
    { what: `out toward the target on ${target.nic}`, value: tx(target.delta), span: expect.toward },
    { what: `in from the target on ${target.nic}`, value: rx(target.delta), span: expect.back },
    { what: `out toward the source on ${source.nic}`, value: tx(source.delta), span: expect.back },
  ];
  for (const leg of legs) {
    if (leg.value === undefined) problems.push(`no count of the ${unit} ${leg.what}`);
    else if (leg.value < leg.span.min) problems.push(`${leg.value} ${unit} ${leg.what}, fewer than the ${leg.span.min} the traffic needs`);
    else if (leg.value > leg.span.max + slack) problems.push(`${leg.value} ${unit} ${leg.what}, more than the at most ${leg.span.max} the traffic explains`);
  }
  const legProblems = problems.length - (forwardedProblem ? 1 : 0);
  if (legProblems > 0) return problems;

  // Both NICs see the same imbalance between the two directions, whatever local traffic adds.
  const sourceImbalance = rx(source.delta)! - tx(source.delta)!;
  const targetImbalance = tx(target.delta)! - rx(target.delta)!;
  // Bytes are counted by each driver its own way (an emulated e1000's receive side counted 0.6
  // times what the VirtIO side sent, packets agreeing exactly): for bytes, the same direction
  // within a factor of two; for packets, the same count.
  const apart = Math.abs(sourceImbalance - targetImbalance);
  const allowed = expect.unit === 'bytes' ? slack + Math.max(Math.abs(sourceImbalance), Math.abs(targetImbalance)) / 2 : slack;
  if (apart > allowed || (expect.unit === 'bytes' && Math.sign(sourceImbalance) !== Math.sign(targetImbalance))) {
    problems.push(
      `its NICs disagree on the direction of the traffic: ${sourceImbalance} more ${unit} came in than went out on ${source.nic}, ${targetImbalance} more went out than came in on ${target.nic}`,
    );
  }
  const forwarded = deltas.forwarded;
  if (forwarded !== undefined && expect.forwarded && !forwardedProblem && expect.unit === 'packets') {
    // Forwarded toward the target minus back = the imbalance; their sum = forwarded. Of the two
    // NICs' imbalances, the one nearer zero (none when they differ in sign): a NIC's own noise (a
    // router solicitation in, an ARP out) moves one of them only.
    {
      const imbalance = Math.sign(sourceImbalance) !== Math.sign(targetImbalance) ? 0 : Math.sign(sourceImbalance) * Math.min(Math.abs(sourceImbalance), Math.abs(targetImbalance));
      const toward = Math.round((forwarded + imbalance) / 2);
      const back = Math.round((forwarded - imbalance) / 2);
      // An estimate (halves rounded; a one-off packet on both NICs at once, such as an ARP request
      // whose answer fell after the second read, moves it by one): one datagram short is within
      // it, but never none where some are needed (a single traceroute probe's answer).
      if (toward < atLeast(expect.toward.min)) problems.push(`of its ${forwarded} forwarded datagrams about ${toward} went toward the target, fewer than the ${expect.toward.min} requests`);
      if (back < atLeast(expect.back.min)) problems.push(`of its ${forwarded} forwarded datagrams about ${back} came back, fewer than the ${expect.back.min} replies`);
    }
  }
  return problems;
}
