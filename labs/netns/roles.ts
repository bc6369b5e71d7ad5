// The lab's machines and networks, by role: what a plan, a variant and an expectation name.
import type { NetworkRole } from '../kit/roles.ts';

export { VM_ROLES, type VmRole } from '../kit/roles.ts';
export type Network = NetworkRole;
