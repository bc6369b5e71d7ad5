// After the checks, beside the diagnosis's observations: what each VM shows of hooks and mounts
// that could stand between the grader and its kernel (grader/parse/tamper-signs.ts), as flags for
// the instructor (grader/lab/review-flags.ts). One command per VM through its command session,
// whose login shell has already run (no new one is started for it). Never throws: a VM that does
// not answer is left out.
import type { ReviewFlag } from '../core/lab-report.ts';
import { ROLES } from '../core/roles.ts';
import type { HostState, LabAccess } from '../lab/lab-access.ts';
import { reviewFlags } from '../lab/review-flags.ts';
import { parseTamperSigns, TAMPER_COMMAND } from '../parse/tamper-signs.ts';

export async function observeTampering(lab: LabAccess, hosts: ReadonlyMap<string, HostState>): Promise<ReviewFlag[]> {
  const reachable = ROLES.filter((role) => {
    const state = hosts.get(role);
    return state !== undefined && 'facts' in state;
  });
  const flags = await Promise.all(
    reachable.map(async (role) => {
      try {
        const result = await lab.remote(role).run(TAMPER_COMMAND, { timeoutMs: 10_000 });
        return result.timedOut ? [] : reviewFlags(role, parseTamperSigns(result.stdout));
      } catch {
        return [];
      }
    }),
  );
  return flags.flat();
}
