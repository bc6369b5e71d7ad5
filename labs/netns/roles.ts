// The lab's machines and networks, by role: what a plan, a variant and an expectation name.
export const VM_ROLES = ['vm1', 'router', 'vm3'] as const;
export type VmRole = (typeof VM_ROLES)[number];
export type Network = 'management' | 'internal1' | 'internal2';
