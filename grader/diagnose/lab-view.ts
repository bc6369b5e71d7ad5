// Everything the diagnosis reads, gathered in one place: each VM's facts (or why it could not be
// reached), the results, the extra observations, and the lab's endpoints computed once.
import type { CheckResult } from '../core/result.ts';
import { findKind } from '../checks/registry.ts';
import { resultName } from '../core/diagnosis.ts';
import type { Role } from '../core/roles.ts';
import type { HypervisorFacts } from '../hypervisor/hypervisor-facts.ts';
import type { HostFacts } from '../lab/host-facts.ts';
import type { LoginRefusal } from '../transport/remote-host.ts';
import { internalEndpoint, managementSubnets, routerEndpointHolding, routerEndpointOn, type Endpoint } from '../lab/topology.ts';
import type { Subnet } from '../core/ipv4.ts';
import type { HostObservations, Observations, PathProbe } from './observations.ts';

/** One VM as the grader met it (HostState without its connection). */
export type HostView = { role: Role; target: string; facts: HostFacts } | { role: Role; target: string; problem: string; refused?: LoginRefusal };

export interface DiagnosisInput {
  hosts: Iterable<HostView>;
  results: CheckResult[];
  observations?: Observations;
  hypervisor?: HypervisorFacts;
}

export interface LabView {
  facts: Partial<Record<Role, HostFacts>>;
  unreachable: Partial<Record<Role, { target: string; problem: string; refused?: LoginRefusal }>>;
  /** VM1's and VM3's internal endpoints, and the router's on each of their networks. */
  vm1?: Endpoint;
  vm3?: Endpoint;
  routerOnVm1?: Endpoint;
  routerOnVm3?: Endpoint;
  management: Subnet[];
  results: CheckResult[];
  observed: Partial<Record<Role, HostObservations>>;
  probe?: PathProbe;
  hypervisor?: HypervisorFacts;
}

export function labView(input: DiagnosisInput): LabView {
  const facts: LabView['facts'] = {};
  const unreachable: LabView['unreachable'] = {};
  for (const h of input.hosts) {
    if ('facts' in h) facts[h.role] = h.facts;
    else unreachable[h.role] = { target: h.target, problem: h.problem, ...(h.refused ? { refused: h.refused } : {}) };
  }
  const router = facts.router;
  const vm1 = facts.vm1 && internalEndpoint(facts.vm1, router);
  const vm3 = facts.vm3 && internalEndpoint(facts.vm3, router);
  return {
    facts,
    unreachable,
    vm1,
    vm3,
    // A VM holding the router's own address: the router is on that network all the same.
    routerOnVm1: router && vm1 ? (routerEndpointOn(router, vm1) ?? routerEndpointHolding(router, vm1.address)) : undefined,
    routerOnVm3: router && vm3 ? (routerEndpointOn(router, vm3) ?? routerEndpointHolding(router, vm3.address)) : undefined,
    management: Object.values(facts).flatMap((f) => managementSubnets(f)),
    results: input.results,
    observed: input.observations?.hosts ?? {},
    probe: input.observations?.probe,
    hypervisor: input.hypervisor,
  };
}

/** Names of the results of `kinds` that did not pass. */
export function notPassed(view: LabView, kinds: string[]): string[] {
  return view.results.filter((r) => kinds.includes(r.kind) && r.status !== 'pass').map(resultName);
}

/** A result of a kind that sends traffic between the VMs (its phase is not `inspect`). */
export function isTraffic(result: Pick<CheckResult, 'kind'>): boolean {
  const phase = findKind(result.kind)?.phase;
  return phase !== undefined && phase !== 'inspect';
}
