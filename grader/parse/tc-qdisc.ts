// `tc qdisc show`: the queueing disciplines per NIC. A tbf or htb with a rate limits throughput;
// a netem with `loss` drops packets, with `delay` slows them.
export interface Qdisc {
  kind: string;
  device: string;
  /** `root`, or the parent class for a child qdisc. */
  parent: string;
  /** What follows `refcnt N` (or the parent): the qdisc's options as tc prints them. */
  options: string;
  /** The rate of a tbf (or of netem's `rate`), as printed: `20Mbit`. */
  rate?: string;
  /** netem's loss, as printed: `20%`. */
  loss?: string;
}

const LINE = /^qdisc\s+(\S+)\s+\S+\s+dev\s+(\S+)\s+(root|parent\s+\S+)(.*)$/;

export function parseTcQdisc(text: string): Qdisc[] {
  const qdiscs: Qdisc[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line.trim());
    if (!match) continue;
    const [, kind = '', device = '', parent = '', rest = ''] = match;
    const options = rest.replace(/^\s*refcnt\s+\d+/, '').trim();
    const rate = /\brate\s+(\S+)/.exec(options)?.[1];
    const loss = kind === 'netem' ? /\bloss\s+(?:random\s+)?(\d[\d.]*%)/.exec(options)?.[1] : undefined;
    qdiscs.push({ kind, device, parent: parent.replace(/\s+/, ' '), options, ...(rate ? { rate } : {}), ...(loss ? { loss } : {}) });
  }
  return qdiscs;
}

/** The qdiscs that slow or drop what a NIC sends: the ones a student (or a course) added. */
export function shapes(q: Qdisc): boolean {
  return (q.kind === 'tbf' || q.kind === 'htb' || q.kind === 'netem' || q.kind === 'cake') && (q.rate !== undefined || q.loss !== undefined || q.kind === 'netem');
}
