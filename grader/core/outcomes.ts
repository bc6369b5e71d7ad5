import type { Evidence } from './result.ts';

// The check could not be graded (no output, a timeout, an unreachable VM): an error, never a pass.
export class CannotGrade extends Error {
  constructor(
    message: string,
    readonly evidence: Evidence[] = [],
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
    readonly details: { expected?: string; actual?: string; hint?: string; evidence?: Evidence[] } = {},
  ) {
    super(message);
    this.name = 'Unmet';
  }
}
