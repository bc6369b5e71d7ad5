import { parseDriverLink, parseEthtoolDriver } from '../../parse/ethtool.ts';
import type { HostFacts } from '../../lab/host-facts.ts';
import { ROLE_LABELS, ROLES } from '../../core/roles.ts';
import { defineKind, textParam } from '../check-kind.ts';
import { evidenceOf, requireCompleted } from '../../core/command-output.ts';
import { CannotGrade } from '../../core/outcomes.ts';
import type { Evidence, Verdict } from '../../core/result.ts';
import { driversOfModel, matchModels, modelContradicts } from '../nic-model.ts';
import { roleOf } from '../role-of.ts';

// For every interface in /sys/class/net: its name, the driver its device link points at, and what
// `ethtool -i` says (the second witness). A student account's PATH has no /usr/sbin on Debian and
// Ubuntu, where ethtool lives: it is searched there too.
export const NIC_DRIVERS_COMMAND = [
  'PATH="$PATH:/usr/sbin:/sbin";',
  'for d in /sys/class/net/*; do',
  'n=${d##*/}; printf "@@nic %s\\n" "$n";',
  'printf "link: %s\\n" "$(readlink "$d/device/driver" 2>/dev/null)";',
  'ethtool -i "$n" 2>&1;',
  'done',
].join(' ');

export interface NicDriver {
  name: string;
  /** Driver named by /sys/class/net/IF/device/driver; undefined when there is no device link. */
  linkDriver?: string;
  /** Driver reported by `ethtool -i`; undefined when ethtool is missing or says nothing. */
  ethtoolDriver?: string;
  /** NIC model in the domain XML, when the hypervisor was asked (the third witness). */
  model?: string;
}

// Splits the output of NIC_DRIVERS_COMMAND into one entry per interface.
export function parseNicDrivers(text: string): NicDriver[] {
  return text
    .split(/^@@nic /m)
    .slice(1)
    .map((block) => {
      const [name = '', ...rest] = block.split('\n');
      const body = rest.join('\n');
      const link = /^link: (.*)$/m.exec(body)?.[1] ?? '';
      return { name: name.trim(), linkDriver: parseDriverLink(link), ethtoolDriver: parseEthtoolDriver(body) };
    });
}

// The NICs that count: every interface with an IPv4 address (management and internal) and every
// interface backed by a device, so that an unused emulated NIC cannot hide.
export function nicsToGrade(drivers: NicDriver[], facts: Pick<HostFacts, 'management' | 'internal'>): NicDriver[] {
  const addressed = new Set([facts.management, ...facts.internal].filter((nic) => nic !== undefined).map((nic) => nic.name));
  return drivers.filter((d) => d.name !== 'lo' && (addressed.has(d.name) || d.linkDriver !== undefined));
}

function describe(d: NicDriver): string {
  const model = d.model === undefined ? '' : `, domain XML ${d.model}`;
  return `${d.name}: driver link ${d.linkDriver ?? 'none'}, ethtool ${d.ethtoolDriver ?? 'no answer'}${model}`;
}

/**
 * Which witness says a NIC is not VirtIO, and what it says: the guest's device link in /sys, ethtool
 * beside a device link that says otherwise, ethtool alone (no device link: a veth, a virtual NIC),
 * the domain XML alone (a NIC the guest does not show), or nothing at all.
 */
export const NIC_WITNESSES = ['driver-link', 'ethtool', 'ethtool-only', 'domain-xml', 'none'] as const;
export type NicWitness = (typeof NIC_WITNESSES)[number];

/** A NIC as a virtio verdict records it; for one that is not VirtIO, which witness said what. */
export type NotVirtioNic = {
  name: string;
  /** Absent in the NICs of a pass, and in reports written before it. */
  seenBy?: NicWitness;
  /** The driver the witness names (driver-link, ethtool, ethtool-only). */
  driver?: string;
  /** The domain XML's model (domain-xml). */
  model?: string;
  /** The driver its device link names, when ethtool says otherwise. */
  linkDriver?: string;
  /** The driver found: of a pass, and of a not-virtio NIC in reports written before `seenBy`. */
  found?: string;
};

function notVirtioNic(d: NicDriver, expected: string): NotVirtioNic {
  if (d.linkDriver && d.linkDriver !== expected) return { name: d.name, seenBy: 'driver-link', driver: d.linkDriver };
  if (d.ethtoolDriver && d.ethtoolDriver !== expected) {
    return d.linkDriver ? { name: d.name, seenBy: 'ethtool', driver: d.ethtoolDriver, linkDriver: d.linkDriver } : { name: d.name, seenBy: 'ethtool-only', driver: d.ethtoolDriver };
  }
  if (d.model) return { name: d.name, seenBy: 'domain-xml', model: d.model };
  return d.ethtoolDriver ? { name: d.name, seenBy: 'ethtool-only', driver: d.ethtoolDriver } : { name: d.name, seenBy: 'none' };
}

/**
 * The NICs that are not VirtIO, in the exercise's words: what drives them and which witness said
 * so, NICs alike (same witness, same driver) named together.
 */
export function notVirtioPhrases(nics: NotVirtioNic[], expected: string, hypervisorAsked: boolean): string[] {
  const groups = new Map<string, NotVirtioNic[]>();
  for (const n of nics) {
    const key = JSON.stringify([n.seenBy, n.driver, n.model, n.linkDriver, n.seenBy ? undefined : n.found]);
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  return [...groups.values()].map((group) => phrase(group, expected, hypervisorAsked));
}

function phrase(group: NotVirtioNic[], expected: string, hypervisorAsked: boolean): string {
  const n = group[0]!;
  const names = group.map((g) => g.name).join(', ');
  const verb = (one: string, many: string) => (group.length === 1 ? one : many);
  const virtio = `VirtIO (${expected})`;
  switch (n.seenBy) {
    case 'driver-link':
      return `${names} ${verb('uses', 'use')} the ${n.driver} driver, not ${virtio}`;
    case 'ethtool':
      return `${names}: ethtool says ${n.driver} although ${verb('its device link says', 'their device links say')} ${n.linkDriver}, not ${virtio} throughout`;
    case 'ethtool-only': {
      const hypervisor = hypervisorAsked ? `the hypervisor's domain XML does not list ${verb('it', 'them')}` : 'the hypervisor was not asked';
      const uses = n.driver === expected ? `${names} ${verb('has', 'have')} no device behind ${verb('it', 'them')} in /sys (ethtool says ${n.driver})` : `${names} ${verb('uses', 'use')} the ${n.driver} driver, not ${virtio}`;
      return `${uses}; seen by ethtool only, ${hypervisor}`;
    }
    case 'domain-xml':
      return `${names} ${verb('has', 'have')} model ${n.model} in the domain XML, not VirtIO (virtio)`;
    case 'none':
      return `${names}: no driver found (no device link in /sys, no answer from ethtool)`;
    default:
      return group.map((g) => `${g.name} ${g.found ?? 'not VirtIO'}`).join(', ');
  }
}

export type VirtioReason = 'virtio' | 'no-nic' | 'not-virtio';

/** What a virtio verdict is about: the driver expected, the NICs that are not driven by it and what drives them. */
export interface VirtioSubject {
  driver: string;
  /** Every NIC checked (`virtio`, with the driver found), or those driven otherwise (`not-virtio`). */
  nics: NotVirtioNic[];
  /** Whether the hypervisor's domain XML was read (a third witness). */
  hypervisorAsked?: boolean;
  /** NICs whose guest driver contradicts their model in the domain XML. */
  inconsistent?: Array<{ name: string; driver: string; model: string }>;
  /** The emulated models the guest's drivers or the domain XML name. */
  models?: string[];
}

// Every sentence of a virtio verdict, from its reason and subject.
export function virtioSentence(reason: VirtioReason, s: VirtioSubject): string {
  switch (reason) {
    case 'no-nic':
      return 'no NIC found to check';
    case 'virtio':
      return `${s.nics.map((n) => n.name).join(', ')}: ${s.driver}`;
    case 'not-virtio':
      return [
        ...(s.inconsistent ?? []).map((d) => `inconsistent: ${d.name} has driver ${d.driver} in the guest but model ${d.model} in the domain XML`),
        ...notVirtioPhrases(s.nics, s.driver, s.hypervisorAsked === true),
      ].join('; ');
  }
}

const EMULATED = /\b(e1000e?|8139cp|8139too|rtl8139|ne2k_pci|pcnet)\b/;

export function evaluateVirtio(nics: NicDriver[], expectedDriver: string, evidence: Evidence[]): Verdict {
  const actual = nics.map(describe).join('\n');
  const expected = `every NIC driven by ${expectedDriver}`;
  const verdict = (status: Verdict['status'], reason: VirtioReason, subject: VirtioSubject, shown = actual): Verdict => ({
    status, reason, subject: { ...subject }, message: virtioSentence(reason, subject), expected, actual: shown, evidence,
  });
  if (nics.length === 0) return verdict('fail', 'no-nic', { driver: expectedDriver, nics: [] }, 'none');
  const inconsistent = nics.filter((d) => modelContradicts(d.model, d.linkDriver ?? d.ethtoolDriver));
  const wrong = nics.filter((d) => {
    const witnesses = [d.linkDriver, d.ethtoolDriver].filter((w) => w !== undefined);
    const modelOk = d.model === undefined || (driversOfModel(d.model) ?? []).includes(expectedDriver);
    return d.linkDriver !== expectedDriver || witnesses.some((w) => w !== expectedDriver) || !modelOk;
  });
  if (wrong.length === 0) return verdict('pass', 'virtio', { driver: expectedDriver, nics: nics.map((d) => ({ name: d.name, found: expectedDriver })) });
  const models = [...new Set(wrong.flatMap((d) => [d.linkDriver, d.ethtoolDriver, d.model]).flatMap((m) => EMULATED.exec(m ?? '')?.[1] ?? []))];
  return verdict('fail', 'not-virtio', {
    driver: expectedDriver,
    nics: wrong.map((d) => notVirtioNic(d, expectedDriver)),
    hypervisorAsked: nics.some((d) => d.model !== undefined),
    ...(inconsistent.length > 0 ? { inconsistent: inconsistent.map((d) => ({ name: d.name, driver: (d.linkDriver ?? d.ethtoolDriver)!, model: d.model! })) } : {}),
    models,
  });
}

export const virtio = defineKind<{ driver: string }>({
  kind: 'virtio',
  summary: 'Every NIC of the VM is driven by virtio_net (the device driver link in /sys, with `ethtool -i` and, when the hypervisor is known, the domain XML as further witnesses).',
  scope: 'host',
  allowedHosts: ROLES,
  defaultHosts: ROLES,
  phase: 'inspect',
  params: (raw) => ({ driver: textParam(raw, 'driver') }),
  needs: (host) => (host === 'lab' ? ROLES : [host]),
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { driver: { type: 'string', default: 'virtio_net', description: 'Kernel driver every NIC must use' } },
  },
  async run(context) {
    const host = roleOf(context);
    const { lab } = context;
    const facts = lab.facts(host);
    const result = await lab.remote(host).run(NIC_DRIVERS_COMMAND);
    requireCompleted(host, result);
    const domain = lab.hypervisor?.domains[host];
    const guestNics = nicsToGrade(parseNicDrivers(result.stdout), facts);
    const { nics: matched, unseen } = matchModels(guestNics, facts.interfaces, domain?.interfaces ?? []);
    const nics = [...matched, ...unseen.map((d) => ({ name: `${d.mac} (not seen in the guest)`, model: d.model }))];
    const evidence = [evidenceOf(host, result, nics.map(describe).join('\n') || result.stdout), ...(domain?.evidence.slice(0, 1) ?? [])];
    if (result.exitCode !== 0 && nics.length === 0) throw new CannotGrade(`could not list the NICs of ${ROLE_LABELS[host]}`, evidence);
    return evaluateVirtio(nics, context.params.driver, evidence);
  },
});
