// What works but not well enough (throughput), what is missing on a VM (a tool), what is not the
// exercise's hardware (VirtIO NICs).
import { sh } from '../core/shell-quote.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { resultName } from '../core/diagnosis.ts';
import { ROLE_LABELS, ROLES, type Role } from '../core/roles.ts';
import type { CheckResult } from '../core/result.ts';
import { shapes } from '../parse/tc-qdisc.ts';
import type { LabView } from './lab-view.ts';
import { PERSIST_QDISC } from './persistence.ts';
import { installCommand } from '../checks/traffic-parts.ts';
import { NIC_WITNESSES, notVirtioPhrases, type NotVirtioNic } from '../checks/kinds/virtio.ts';
import { recordsOf, textOf, textsOf } from './subject-fields.ts';

/** A throughput was measured, below the floor: the path works, slowly. */
export function isSlow(r: CheckResult): boolean {
  return r.status === 'fail' && r.reason === 'below-floor' && (r.measurements.throughputMbps ?? 0) > 0;
}

/** ping got replies, but lost some: the path works, lossily. */
export function isLossy(r: CheckResult): boolean {
  return r.status === 'fail' && r.reason === 'loss-above' && (r.measurements.received ?? 0) > 0;
}

function domainOf(view: LabView, role: Role): string {
  return view.hypervisor?.domains[role]?.domain ?? ROLE_DOMAIN[role];
}
const ROLE_DOMAIN: Record<Role, string> = { vm1: 'VM1_DOMAIN', router: 'ROUTER_DOMAIN', vm3: 'VM3_DOMAIN' };

function virtioSteps(view: LabView, role: Role): string[] {
  const domain = domainOf(view, role);
  return [
    `${sh`virsh shutdown ${domain}`}   # on the hypervisor (or virt-manager: Shut Down)`,
    `${sh`virsh edit ${domain}`}   # in every <interface>: <model type='virtio'/> (virt-manager: each NIC > Device model: virtio > Apply)`,
    `${sh`virsh start ${domain}`}   # a reboot from inside the VM keeps the old model: shut down, then start`,
  ];
}

// Emulated NIC models the hypervisor (or the guest's driver) names, per VM.
function emulatedModels(view: LabView, role: Role): string[] {
  const models = view.hypervisor?.domains[role]?.interfaces.map((i) => i.model).filter((m) => m !== 'virtio') ?? [];
  if (models.length > 0) return [...new Set(models)];
  const virtio = view.results.find((r) => r.reason === 'not-virtio' && r.host === role && r.status === 'fail');
  return [...new Set(textsOf(virtio?.subject, 'models'))];
}

export function slowPaths(view: LabView): Diagnosis[] {
  const slow = view.results.filter(isSlow);
  if (slow.length === 0) return [];
  const results = slow.map(resultName);
  const figures = slow.map((r) => `${resultName(r)}: ${r.measurements.throughputMbps} Mbit/s (${r.message})`);
  const out: Diagnosis[] = [];
  for (const role of ROLES) {
    for (const q of view.observed[role]?.qdiscs.filter(shapes) ?? []) {
      out.push({
        cause: 'slow-path',
        host: role,
        nic: q.device,
        summary: `${ROLE_LABELS[role]}'s NIC ${q.device} is rate-limited${q.rate ? ` to ${q.rate}` : ''} by a ${q.kind} qdisc: the path works, below the throughput floor.`,
        fix: [sh`tc qdisc show dev ${q.device}`, sh`sudo tc qdisc del dev ${q.device} root`],
        persist: PERSIST_QDISC,
        evidence: [`qdisc ${q.kind} on ${q.device}: ${q.options}`, ...figures],
        results,
      });
    }
  }
  if (out.length > 0) return out;
  for (const role of ROLES) {
    const models = emulatedModels(view, role);
    if (models.length === 0) continue;
    out.push({
      cause: 'slow-path',
      host: role,
      summary: `${ROLE_LABELS[role]} has emulated ${models.join(', ')} NICs, far slower than VirtIO: the path works, below the throughput floor.`,
      fix: virtioSteps(view, role),
      evidence: [`NIC model: ${models.join(', ')}`, ...figures],
      results,
    });
  }
  if (out.length > 0) return out;
  return [
    {
      cause: 'slow-path',
      host: 'lab',
      summary: 'The path works but is below the throughput floor, and no rate limit shows on the VMs: the hypervisor may be busy, or the VMs short of CPU.',
      fix: ['tc qdisc show   # on each VM: a tbf, htb or netem qdisc limits a NIC', 'uptime   # on the hypervisor: a load above its CPU count slows every VM'],
      evidence: figures,
      results,
    },
  ];
}

export function missingTools(view: LabView): Diagnosis[] {
  const byHost = new Map<string, Diagnosis>();
  for (const r of view.results) {
    if (r.reason !== 'tool-missing' || r.status === 'pass') continue;
    const role = ROLES.find((x) => x === textOf(r.subject, 'host'));
    const tool = textOf(r.subject, 'tool');
    const debianPackage = textOf(r.subject, 'package') ?? tool;
    if (!role || !tool || !debianPackage) continue;
    const key = `${role} ${tool}`;
    const existing = byHost.get(key);
    if (existing) {
      existing.results.push(resultName(r));
      continue;
    }
    byHost.set(key, {
      cause: 'tool-missing',
      host: role,
      summary: `${tool} is not installed on ${ROLE_LABELS[role]}: the check cannot run it.`,
      fix: [installCommand(debianPackage)],
      evidence: [`${resultName(r)}: ${r.message}`],
      results: [resultName(r)],
    });
  }
  return [...byHost.values()];
}

// One diagnosis per VM whose NICs are not VirtIO, naming each NIC and what drives it.
export function notVirtio(view: LabView): Diagnosis[] {
  return view.results
    .filter((r) => r.reason === 'not-virtio' && r.status === 'fail')
    .flatMap((r): Diagnosis[] => {
      const role = ROLES.find((x) => x === r.host);
      if (!role) return [];
      const nics = recordsOf(r.subject, 'nics').map((n): NotVirtioNic => {
        const field = (key: string) => (textOf(n, key) !== undefined ? { [key]: textOf(n, key) } : {});
        const seenBy = NIC_WITNESSES.find((w) => w === textOf(n, 'seenBy'));
        return { name: textOf(n, 'name') ?? '', ...(seenBy ? { seenBy } : {}), ...field('driver'), ...field('model'), ...field('linkDriver'), ...field('found') };
      });
      const driver = textOf(r.subject, 'driver') ?? 'virtio_net';
      const list = notVirtioPhrases(nics, driver, r.subject?.hypervisorAsked === true).join('; ');
      const first = nics[0]?.name;
      const models = emulatedModels(view, role);
      return [
        {
          cause: 'not-virtio',
          host: role,
          ...(first && !first.includes(':') ? { nic: first } : {}),
          summary: `${ROLE_LABELS[role]}'s NICs are not all VirtIO: ${list || r.message}${models.length ? `; the hypervisor gives them model ${models.join(', ')}` : ''}.`,
          fix: virtioSteps(view, role),
          evidence: [r.message],
          results: [resultName(r)],
        },
      ];
    });
}
