import { describe, expect, it } from 'vitest';
import { parseIperf3Json } from '../parse/iperf3.ts';
import { fixture } from '../../test/support/test-files.ts';
import { serverWitness } from './kinds/iperf.ts';
import { ttlWitness } from './kinds/ping.ts';
import { parseDomIfStat } from '../parse/virsh-domifstat.ts';
import { hypervisorCountersWitness, parseCounters, routerCountersWitness } from './router-counters.ts';
import { routerRouteWitness } from './kinds/traceroute.ts';
import { heardWitnesses } from './witnesses.ts';

const pass = { status: 'pass' as const, reason: 'replied', subject: { target: '10.0.2.3' }, message: '10.0.2.3 answers', actual: '5/5 replies', evidence: [] };

describe('witnesses', () => {
  it('a pass stands when no witness disagrees; a witness not asked does not count against it', () => {
    const verdict = heardWitnesses(pass, [
      { name: 'the reply TTL', agrees: true, detail: 'ttl=63' },
      { name: "the router's counters", detail: 'the router could not be asked' },
    ]);
    expect(verdict.status).toBe('pass');
    expect(verdict.actual).toBe("5/5 replies\nthe reply TTL agrees: ttl=63\nthe router's counters not asked: the router could not be asked");
  });

  it('a disagreeing witness turns a pass into a failure that names it', () => {
    const verdict = heardWitnesses(pass, [{ name: 'the reply TTL', agrees: false, detail: 'ttl=64' }]);
    expect(verdict).toMatchObject({ status: 'fail', message: 'witnesses disagree: 10.0.2.3 answers, but the reply TTL: ttl=64' });
  });

  it("an honest routing mistake every witness agrees on says where the VM's route goes, not that witnesses disagree", () => {
    const counters = { name: "the router's counters", agrees: false, detail: '0 datagrams forwarded; ...', problem: 'it forwarded 0 datagrams, fewer than the 10 this traffic needs' };
    const viaHost = heardWitnesses(pass, [counters], { host: 'vm1', target: '10.0.2.3', gateway: '10.0.1.254', device: 'eth1', router: '10.0.1.1' });
    expect(viaHost).toMatchObject({
      status: 'fail',
      reason: 'bypassed-router',
      subject: { target: '10.0.2.3', judged: 'replied', route: { gateway: '10.0.1.254' } },
      message: "10.0.2.3 answers, but the traffic did not go through the router (VM1's route to 10.0.2.3 goes via 10.0.1.254)",
    });
    const flat = heardWitnesses(pass, [counters], { host: 'vm1', target: '10.0.2.3', device: 'eth1', router: '10.0.1.1' });
    expect(flat.message).toBe("10.0.2.3 answers, but the traffic did not go through the router (VM1's route to 10.0.2.3 goes directly out of eth1)");
    // The VM sends via the router, yet the router saw nothing: a contradiction, named with the witness's problem only.
    const faked = heardWitnesses(pass, [counters], { host: 'vm1', target: '10.0.2.3', gateway: '10.0.1.1', device: 'eth1', router: '10.0.1.1' });
    expect(faked).toMatchObject({ status: 'fail', reason: 'witness-contradicts' });
    expect(faked.message).toBe("witnesses disagree: 10.0.2.3 answers, but the router's counters: it forwarded 0 datagrams, fewer than the 10 this traffic needs");
    expect(faked.witnesses).toEqual([counters]);
  });

  it('reads the reply TTL as router hops from Linux, Windows and network stacks', () => {
    expect(ttlWitness([63, 63]).agrees).toBe(true);
    expect(ttlWitness([127]).agrees).toBe(true);
    expect(ttlWitness([64])).toMatchObject({ agrees: false, detail: 'ttl=64: the replies crossed no router' });
    expect(ttlWitness([62]).detail).toBe('ttl=62: the replies crossed 2 routers');
    expect(ttlWitness([]).agrees).toBeUndefined();
  });

  it("reads the router's counters and wants the grader's traffic each way through both internal NICs", () => {
    const before = parseCounters(fixture('router-counters/statistics-and-snmp.txt'));
    expect(Object.keys(before.nics)).toEqual(['lo', 'eth0']);
    expect(before.nics.lo?.rx_packets).toBeGreaterThan(0);
    expect(before.forwarded).toBe(0);
    const where = { path: { towardVm1: 'lo', towardVm3: 'eth0' } };
    // in/out packets on the NIC toward VM1, then toward VM3, and the datagrams forwarded.
    const after = (a: [number, number], b: [number, number], forwarded: number) => ({
      forwarded: (before.forwarded ?? 0) + forwarded,
      nics: {
        lo: { ...before.nics.lo, rx_packets: before.nics.lo!.rx_packets! + a[0], tx_packets: before.nics.lo!.tx_packets! + a[1] },
        eth0: { ...before.nics.eth0, rx_packets: before.nics.eth0!.rx_packets! + b[0], tx_packets: before.nics.eth0!.tx_packets! + b[1] },
      },
    });
    const ping = { unit: 'packets' as const, toward: { min: 5, max: 5 }, back: { min: 5, max: 5 }, forwarded: { min: 10, max: 10 } };
    const judge = (a: [number, number], b: [number, number], forwarded: number) => routerCountersWitness(where, before, after(a, b, forwarded), ping, 1);
    expect(judge([5, 5], [5, 5], 10)).toMatchObject({ agrees: true, measurements: { routerForwardedDatagrams: 10 } });
    expect(judge([6, 6], [5, 6], 10).agrees).toBe(true); // an ARP exchange, a router solicitation
    expect(judge([2, 2], [2, 2], 4).detail).toMatch(/2 packets in from the source on lo, fewer than the 5 the traffic needs/);
    // Traffic to the router's own addresses moves its NICs' counters, never the forwarded ones.
    expect(judge([5, 5], [5, 5], 0).detail).toMatch(/it forwarded 0 datagrams, fewer than the 10/);
    // One-way: twice the requests, no replies, and VM3 pinging the router's own address meanwhile.
    const oneWay = judge([10, 0], [10, 10], 10);
    expect(oneWay.agrees).toBe(false);
    expect(oneWay.detail).toMatch(/0 packets out toward the source on lo, fewer than the 5/);
    // Requests one way, with just enough chatter to fill every leg: the forwarded datagrams split
    // into more requests than replies, as both NICs see.
    expect(judge([10, 5], [5, 10], 10).detail).toMatch(/about 3 came back, fewer than the 5 replies/);
    // One NIC's own noise (a router solicitation in, an ARP out) moves one imbalance only.
    expect(judge([7, 7], [9, 6], 10).agrees).toBe(true);
    // A one-off packet on each NIC at once (an ARP request answered after the second read): the
    // split says about 4 of the 5 replies came back, one short, within the estimate.
    expect(judge([7, 5], [5, 7], 10).agrees).toBe(true);
    // But never none where one is needed: a single probe, forwarded, whose answer never came back.
    const probe = { unit: 'packets' as const, toward: { min: 1, max: 1 }, back: { min: 1, max: 1 }, forwarded: { min: 2, max: 2 } };
    expect(routerCountersWitness(where, before, after([4, 2], [2, 4], 2), probe, 1).detail).toMatch(/about 0 came back, fewer than the 1 replies/);
    // A flood of chatter through both NICs is more than the traffic explains.
    expect(judge([500, 500], [500, 500], 10).detail).toMatch(/500 packets in from the source on lo, more than the at most 5/);
    // Forwarding someone else's traffic too is more than the grader's.
    expect(judge([10, 10], [10, 10], 50).detail).toMatch(/forwarded 50 datagrams, more than the at most 10/);
    // Invented counters: a billion packets in a second, or counters going backwards.
    expect(judge([1e9, 1e9], [1e9, 1e9], 2e9).detail).toMatch(/more than any NIC carries: the counters were written/);
    expect(judge([-3, 5], [5, 5], 10).detail).toMatch(/went backwards/);
    expect(routerCountersWitness(where, before, after([5, 5], [5, 5], 10), { ...ping, target: 'vm1' }, 1).agrees).toBe(true);
  });

  it('a witness that cannot be asked never disappears: the router off the path fails the pass, an unreachable one leaves it unconfirmed', () => {
    const ping = { unit: 'packets' as const, toward: { min: 1, max: 1 }, back: { min: 1, max: 1 } };
    const off = routerCountersWitness({ unmet: "the router has no address on VM3's internal network 10.0.2.0/24" }, undefined, undefined, ping);
    expect(heardWitnesses(pass, [off])).toMatchObject({ status: 'fail', message: expect.stringMatching(/cannot have crossed the router: the router has no address on VM3's/) });
    const down = routerCountersWitness({ unreachable: 'the router VM (root@10.0.0.2) could not be graded: refused' }, undefined, undefined, ping);
    expect(heardWitnesses(pass, [down])).toMatchObject({ status: 'error', message: expect.stringMatching(/^could not confirm: .*the router could not be asked: the router VM/) });
    const silent = routerCountersWitness({ path: { towardVm1: 'a', towardVm3: 'b' } }, undefined, { nics: {}, forwarded: 1 }, ping);
    expect(silent).toMatchObject({ mustAnswer: true, detail: 'the router was reached, but its counters could not be read' });
    expect(silent.agrees).toBeUndefined();
    expect(routerRouteWitness({ unmet: 'no address there' })).toMatchObject({ agrees: false });
    expect(routerRouteWitness({ unreachable: 'down' })).toMatchObject({ mustAnswer: true });
  });

  it("reads the hypervisor's counters of the router's taps as the guest's view, and judges them without a forwarded count", () => {
    const text = fixture('virsh/domifstat-router-internal.txt');
    const before = { counters: { vnet80: parseDomIfStat(text, 'vnet80'), vnet81: parseDomIfStat(text, 'vnet81') } };
    const bump = (tap: 'vnet80' | 'vnet81', rx: number, tx: number) => ({ ...before.counters[tap], rxPackets: before.counters[tap].rxPackets + rx, txPackets: before.counters[tap].txPackets + tx });
    const taps = { towardVm1: 'vnet80', towardVm3: 'vnet81' };
    const ping = { unit: 'packets' as const, toward: { min: 5, max: 5 }, back: { min: 5, max: 5 }, forwarded: { min: 10, max: 10 } };
    const honest = hypervisorCountersWitness(taps, before, { counters: { vnet80: bump('vnet80', 6, 6), vnet81: bump('vnet81', 6, 6) } }, ping, 1);
    expect(honest).toMatchObject({ agrees: true, measurements: { hypervisorTowardTarget: 6, hypervisorBackFromTarget: 6 } });
    expect(honest.detail).toBe('as the hypervisor counted them: vnet80 +6 packets in, +6 out; vnet81 +6 packets in, +6 out');
    // Requests one way, replies never: whatever the VMs say, the taps saw nothing come back.
    const oneWay = hypervisorCountersWitness(taps, before, { counters: { vnet80: bump('vnet80', 10, 0), vnet81: bump('vnet81', 0, 10) } }, ping, 1);
    expect(oneWay.detail).toMatch(/0 packets in from the target on vnet81, fewer than the 5/);
    const unread = hypervisorCountersWitness(taps, before, { why: "virsh domifstat r: 'vnet81' is not a known interface" }, ping, 1);
    expect(unread).toMatchObject({ mustAnswer: true, detail: expect.stringMatching(/^the hypervisor could not be read: virsh domifstat/) });
  });

  it('a witness that should have answered but did not leaves a pass unconfirmed: an error', () => {
    const verdict = heardWitnesses(pass, [{ name: "the router's counters", mustAnswer: true, detail: 'the router was reached, but its counters could not be read' }]);
    expect(verdict).toMatchObject({ status: 'error', message: expect.stringMatching(/^could not confirm: 10\.0\.2\.3 answers, but the router's counters: /) });
  });

  it("compares the iperf3 server's own report with the client's", () => {
    // The client's and the server's reports of tests through the same 20 Mbit/s router.
    const report = parseIperf3Json(fixture('iperf3/tcp-via-router.json'));
    const server = parseIperf3Json(fixture('iperf3/server-json-mode.json'));
    expect(serverWitness(server, report, '10.0.1.2')).toMatchObject({ agrees: true, detail: 'received 19.1 Mbit/s from 10.0.1.2' });
    expect(serverWitness(server, report, '10.9.9.9').detail).toMatch(/not from 10\.9\.9\.9$/);
    expect(serverWitness(server, { ...report, receiverMbps: 900 }, '10.0.1.2').agrees).toBe(false);
    expect(serverWitness(undefined, report, '10.0.1.2')).toMatchObject({ agrees: false, detail: 'the server on the other VM measured no test' });
  });

  it("wants the router's own route to go straight out of its NIC on the target's network", () => {
    expect(routerRouteWitness({ decision: { destination: '10.0.2.3', device: 'ens5', type: 'unicast' }, towardTarget: 'ens5', target: '10.0.2.3' }).agrees).toBe(true);
    expect(routerRouteWitness({ decision: { destination: '10.0.2.3', gateway: '10.0.9.1', device: 'ens3', type: 'unicast' }, towardTarget: 'ens5', target: '10.0.2.3' }).detail).toBe(
      '10.0.2.3 via 10.0.9.1 dev ens3, not directly out of ens5',
    );
  });
});
