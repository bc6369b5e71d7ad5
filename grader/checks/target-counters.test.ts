// The target VM's own counters as a witness (issue 25, item 1b): a router whose reads a hook
// answers can claim to have forwarded; the VM the traffic was for still counts what reached it.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import type { Verdict } from '../core/result.ts';
import { parseCounters, type Counters, type RouterExpectation } from './router-counters.ts';
import { targetCounterCommand, targetCountersWitness } from './target-counters.ts';
import { heardWitnesses } from './witnesses.ts';

// Recorded statistics (eth0 of fixtures/router-counters/statistics-and-snmp.txt), then the same NIC
// `add` packets (and 100 bytes each) later in each direction.
const before = parseCounters(fixture('router-counters/statistics-and-snmp.txt'));
function later(add: { rx: number; tx: number }): Counters {
  const nic = before.nics.eth0!;
  return { nics: { eth0: { rx_packets: nic.rx_packets! + add.rx, tx_packets: nic.tx_packets! + add.tx, rx_bytes: nic.rx_bytes! + 100 * add.rx, tx_bytes: nic.tx_bytes! + 100 * add.tx } } };
}
const PING: RouterExpectation = { unit: 'packets', toward: { min: 5, max: 5 }, back: { min: 5, max: 5 }, target: 'vm3' };
const passed: Verdict = { status: 'pass', reason: 'answers', subject: {}, message: '10.0.2.3 answers: 5/5 replies', evidence: [] };

describe("the target VM's own counters", () => {
  it('agree when VM3 received the requests and sent the replies (and more: ARP, chatter)', () => {
    expect(before.nics.eth0?.rx_packets).toBeGreaterThan(0);
    const w = targetCountersWitness('vm3', 'eth0', before, later({ rx: 7, tx: 6 }), PING);
    expect(w).toMatchObject({ name: "VM3's own counters", agrees: true, detail: 'eth0 +7 packets in, +6 out' });
  });

  it('turn a pass the router\'s (forged) counters agreed with into a failure when VM3 saw nothing', () => {
    const vm3 = targetCountersWitness('vm3', 'eth0', before, later({ rx: 0, tx: 0 }), PING);
    expect(vm3).toMatchObject({ agrees: false, problem: 'VM3 received 0 packets on eth0, fewer than the 5 the traffic needs; VM3 sent 0 packets on eth0, fewer than the 5 the replies need' });
    const router = { name: "the router's counters", agrees: true, detail: '10 datagrams forwarded' };
    const heard = heardWitnesses(passed, [router, vm3]);
    expect(heard).toMatchObject({ status: 'fail', reason: 'witness-contradicts' });
    expect(heard.message).toContain("but VM3's own counters: VM3 received 0 packets on eth0");
  });

  it('judge bytes for iperf, and counters going backwards as written', () => {
    const iperf: RouterExpectation = { unit: 'bytes', toward: { min: 50_000, max: 100_000 }, back: { min: 1000, max: 25_000 } };
    expect(targetCountersWitness('vm3', 'eth0', before, later({ rx: 600, tx: 20 }), iperf).agrees).toBe(true);
    expect(targetCountersWitness('vm3', 'eth0', later({ rx: 600, tx: 20 }), before, iperf).problem).toMatch(/went backwards/);
  });

  it('are not asked (neither agreeing nor keeping a pass from standing) when they could not be read', () => {
    const w = targetCountersWitness('vm3', 'eth0', undefined, later({ rx: 0, tx: 0 }), PING);
    expect(w.agrees).toBeUndefined();
    expect(w.mustAnswer).toBeUndefined();
    expect(heardWitnesses(passed, [w]).status).toBe('pass');
  });

  it('are read with shell builtins on absolute paths, the NIC quoted', () => {
    expect(targetCounterCommand('ens4')).toBe(`for f in /sys/class/net/ens4/statistics/rx_packets /sys/class/net/ens4/statistics/tx_packets /sys/class/net/ens4/statistics/rx_bytes /sys/class/net/ens4/statistics/tx_bytes; do read -r v < "$f" && printf '%s:%s\\n' "$f" "$v"; done`);
    expect(targetCounterCommand("a b'c")).toContain(`'/sys/class/net/a b'`);
  });
});
