// `npm run vmlab -- compare`: the next exercise's question, answered on this machine — the same
// path measured with paravirtualized (VirtIO) and emulated (e1000) NICs, same duration, side by side.
import { fileURLToPath } from 'node:url';
import type { LabReport } from '../../grader/core/lab-report.ts';
import { loadCheckFile, selectChecks } from '../../grader/config/check-file.ts';
import { DEFAULT_GUEST, vmLabUp, type GuestKind, type NicModel } from './api.ts';
import { gradeThroughHypervisor } from './grade-through-hypervisor.ts';

const EXERCISE = fileURLToPath(new URL('../../checks/exercise.yaml', import.meta.url));

export interface Comparison {
  nic: NicModel;
  report: LabReport;
}

// Builds each lab in turn (never both at once: they would share the machine's cores), measures
// ping and iperf with the given duration, and tears it down.
export async function compareNics(durationSeconds: number, log: (line: string) => void, guest: GuestKind = DEFAULT_GUEST): Promise<Comparison[]> {
  const checks = selectChecks(await loadCheckFile(EXERCISE), ['virtio', 'ping', 'iperf']).map((c) =>
    c.kind.kind === 'iperf' ? { ...c, params: { ...c.params, durationSeconds } } : c,
  );
  const rows: Comparison[] = [];
  for (const nic of ['virtio', 'e1000'] as const) {
    log(`building the ${nic} lab (${guest} guests)...`);
    const lab = await vmLabUp({ name: `compare-${nic}`, nic, guest });
    try {
      log(`measuring ${durationSeconds} s of iperf3 VM1 -> VM3 through the router...`);
      rows.push({ nic, report: await gradeThroughHypervisor(lab, checks) });
    } finally {
      await lab.down();
    }
  }
  return rows;
}

const figure = (report: LabReport, id: string, name: string): number | undefined => report.results.find((r) => r.id === id)?.measurements[name];

export function renderComparison(rows: Comparison[], durationSeconds: number): string {
  const cell = (n: number | undefined, digits = 1) => (n === undefined ? 'n/a' : n.toFixed(digits));
  const lines = [
    `VM1 -> router -> VM3, iperf3 for ${durationSeconds} s, on this machine (QEMU software emulation)`,
    `${'NIC model'.padEnd(10)} ${'throughput Mbit/s'.padStart(18)} ${'retransmits'.padStart(12)} ${'ping rtt avg ms'.padStart(16)}  guest driver`,
  ];
  for (const { nic, report } of rows) {
    const driver = report.results.find((r) => r.id === 'virtio' && r.host === 'vm1')?.actual?.match(/driver link ([^,\s]+)/)?.[1] ?? '?';
    lines.push(
      `${nic.padEnd(10)} ${cell(figure(report, 'iperf', 'throughputMbps')).padStart(18)} ${cell(figure(report, 'iperf', 'retransmits'), 0).padStart(12)} ${cell(figure(report, 'ping', 'rttAvgMs'), 3).padStart(16)}  ${driver}`,
    );
  }
  const [virtio, e1000] = rows.map((r) => figure(r.report, 'iperf', 'throughputMbps'));
  if (virtio && e1000) lines.push(`VirtIO carries ${(virtio / e1000).toFixed(1)}x the emulated e1000's throughput.`);
  return lines.join('\n');
}
