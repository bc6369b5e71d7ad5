// A report the grader wrote must always pass its own schema (issue 25, item 12): otherwise merge
// says the lab has no report, rescore and --resume skip it, and later class files drop it. Labs
// at the extremes a student can build (hundreds of NICs, thousands of routes, the longest names)
// are graded on a replay of their outputs (no root), written as JSON and read back as a kept
// report would be.
import { describe, expect, it } from 'vitest';
import type { CheckSpec } from '../../grader/config/check-file.ts';
import { renderJson } from '../../grader/report/json.ts';
import { validateKeptReport } from '../../grader/report/read-report.ts';
import { gradeLab } from '../../grader/run/grade-lab.ts';
import { EXERCISE_CHECKS } from '../support/exercise-results.ts';
import { goodLab, type SimulatedTopology, type SimulatedVm } from '../support/simulated-lab/recorded-lab.ts';
import { replayLab } from '../support/simulated-lab/replay-lab.ts';

const checks: CheckSpec[] = [...EXERCISE_CHECKS];

interface Nic {
  ifname: string;
  addr_info: Array<{ family: string; local: string; prefixlen: number }>;
  [key: string]: unknown;
}

// `count` more NICs on a VM, each with the longest name Linux allows (15 characters) and an
// address of its own /30 in 172.16.0.0/12, or none (down, unaddressed: a spare).
function addNics(vm: SimulatedVm, count: number, addressed: boolean): void {
  const nics = JSON.parse(vm.ipAddrJson) as Nic[];
  for (let i = 0; i < count; i++) {
    const ifname = `x${String(i).padStart(4, '0')}abcdefghij`;
    const address = `172.${16 + (i >> 12)}.${(i >> 4) & 255}.${((i & 15) << 2) + 1}`;
    nics.push({
      ifindex: 100 + i, ifname, flags: addressed ? ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'] : ['BROADCAST', 'MULTICAST'],
      mtu: 1500, operstate: addressed ? 'UP' : 'DOWN', link_type: 'ether',
      address: `52:54:01:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:01`,
      addr_info: addressed ? [{ family: 'inet', local: address, prefixlen: 30 }] : [],
    });
  }
  vm.ipAddrJson = `${JSON.stringify(nics)}\n`;
  vm.nics = nics as SimulatedVm['nics'];
}

// `count` more routes, each to a /32 beyond the lab, via the VM's management gateway.
function addRoutes(vm: SimulatedVm, count: number): void {
  const routes = JSON.parse(vm.ipRouteJson) as Array<Record<string, unknown>>;
  const dev = (routes.find((r) => r.dst === 'default')?.dev as string | undefined) ?? 'eth0';
  for (let i = 0; i < count; i++) routes.push({ dst: `198.18.${i >> 8}.${i & 255}`, gateway: '192.168.122.1', dev, flags: [] });
  vm.ipRouteJson = `${JSON.stringify(routes)}\n`;
  vm.routes = routes as unknown as SimulatedVm['routes'];
}

async function writtenReportOf(topology: SimulatedTopology, name = 'extreme') {
  const lab = replayLab({ topology, name });
  const report = await gradeLab(lab.target, checks, { connect: (target) => lab.connect(target) });
  const document: unknown = JSON.parse(renderJson(report));
  return { report, kept: validateKeptReport(document) };
}

describe('reports of extreme labs pass the report schema', () => {
  it.each([
    ['a router with 300 addressed NICs', (t: SimulatedTopology) => addNics(t.router, 300, true)],
    ['a router with 500 NICs, 200 of them spares, and 5000 routes', (t: SimulatedTopology) => (addNics(t.router, 300, true), addNics(t.router, 200, false), addRoutes(t.router, 5000))],
    ['every VM with 300 NICs and 2000 routes', (t: SimulatedTopology) => { for (const vm of Object.values(t)) { addNics(vm, 300, true); addRoutes(vm, 2000); } }],
  ])('%s', async (_, build) => {
    const topology = goodLab();
    build(topology);
    const { report, kept } = await writtenReportOf(topology, `lab-${'n'.repeat(240)}`);
    expect(kept.ok ? 'valid' : kept.reason).toBe('valid');
    // bounded, not dropped: the subnets evidence still names what it saw, and says what it cut
    const subnets = report.results.find((r) => r.kind === 'subnets');
    expect(subnets?.evidence.length).toBeGreaterThan(0);
    expect(subnets?.evidence.some((e) => /more characters cut/.test(e.output))).toBe(true);
  });
});
