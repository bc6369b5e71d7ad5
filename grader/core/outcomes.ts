import type { Evidence, Subject } from './result.ts';

/**
 * Reasons any check may end with, besides its kind's own: a piece the check stands on is missing
 * (`no-internal-address`, `router-not-on-network`) or taken (`shares-router-address`: the VM holds
 * the router's own address), a VM could not be graded (`vm-unreachable`, `connection-lost`), the
 * check could not be graded (`cannot-grade`), the grader failed (`internal-error`), a stored result
 * could not be judged again (`not-rescored`).
 */
export type GenericReason = 'no-internal-address' | 'router-not-on-network' | 'shares-router-address' | 'vm-unreachable' | 'connection-lost' | 'cannot-grade' | 'internal-error' | 'not-rescored';

// The check could not be graded (no output, a timeout, an unreachable VM): an error, never a pass.
export class CannotGrade extends Error {
  constructor(
    message: string,
    readonly evidence: Evidence[] = [],
    readonly reason: GenericReason = 'cannot-grade',
    readonly subject: Subject = {},
  ) {
    super(message);
    this.name = 'CannotGrade';
  }
}

// Something the check needs is observed and wrong before the check proper can start (VM1 has no
// internal address, the router has none on VM1's network): a failure, with its own fix.
export class Unmet extends Error {
  constructor(
    message: string,
    readonly details: { reason: GenericReason; subject: Subject; expected?: string; actual?: string; hint?: string; evidence?: Evidence[] },
  ) {
    super(message);
    this.name = 'Unmet';
  }
}
