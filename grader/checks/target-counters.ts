// The target VM's own view of a traffic check (issue 25, item 1b): its internal NIC's counters,
// read before and after the traffic in a witness channel of its own. A router whose reads are
// answered by a forger (a hook in its login shell) can claim to have forwarded; the VM the traffic
// was for still counts what reached it. Only lower bounds: it must have received at least the
// requests (or data) the tool's result says went through, and sent at least the replies (or ACKs);
// whatever else it carried (ARP, its own chatter) is not the router's to explain.
import { ROLE_LABELS, type Role } from '../core/roles.ts';
import { CannotGrade, Unmet } from '../core/outcomes.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import { nicDelta, parseCounters, readFilesCommand, statisticsFiles, type Counters, type RouterExpectation } from './router-counters.ts';
import type { Witness } from './witnesses.ts';

/** The target VM's internal NIC, when discovery knows it. */
export function targetNic(lab: LabAccess, role: Role): string | undefined {
  try {
    return lab.internalEndpoint(role).interface;
  } catch (error) {
    if (error instanceof Unmet || error instanceof CannotGrade) return undefined;
    throw error;
  }
}

// Shell builtins only, in a witness channel, as the router's counters are read.
export function targetCounterCommand(nic: string): string {
  return readFilesCommand(statisticsFiles([nic]));
}

/** Undefined when the counters cannot be read: the witness then says it was not asked. */
export async function readTargetCounters(lab: LabAccess, role: Role, nic: string | undefined): Promise<Counters | undefined> {
  if (!nic) return undefined;
  try {
    const result = await lab.remote(role).runWitness(targetCounterCommand(nic), { timeoutMs: 10_000 });
    const counters = parseCounters(result.stdout);
    return counters.nics[nic] ? counters : undefined;
  } catch {
    return undefined;
  }
}

export function targetCountersWitness(role: Role, nic: string | undefined, before: Counters | undefined, after: Counters | undefined, expect: RouterExpectation): Witness {
  const name = `${ROLE_LABELS[role]}'s own counters`;
  if (!nic || !before || !after) return { name, detail: `${ROLE_LABELS[role]}'s NIC counters could not be read` };
  const d = nicDelta(before, after, nic);
  const unit = expect.unit;
  const [got, sent] = unit === 'packets' ? [d.rxPackets, d.txPackets] : [d.rxBytes, d.txBytes];
  const detail = `${nic} +${got ?? '?'} ${unit} in, +${sent ?? '?'} out`;
  const problems: string[] = [];
  if (got === undefined || sent === undefined) problems.push(`no count of ${nic}'s ${unit}`);
  else {
    if (got < 0 || sent < 0) problems.push(`${nic}'s counters went backwards: they were reset or written`);
    if (got < expect.toward.min) problems.push(`${ROLE_LABELS[role]} received ${got} ${unit} on ${nic}, fewer than the ${expect.toward.min} the traffic needs`);
    if (sent < expect.back.min) problems.push(`${ROLE_LABELS[role]} sent ${sent} ${unit} on ${nic}, fewer than the ${expect.back.min} the replies need`);
  }
  return {
    name,
    agrees: problems.length === 0,
    detail: problems.length === 0 ? detail : `${detail}: ${problems.join('; ')}`,
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
  };
}
