// The exercise's machines and networks, by role, as every lab provider builds them.
export const VM_ROLES = ['vm1', 'router', 'vm3'] as const;
export type VmRole = (typeof VM_ROLES)[number];
export const NETWORK_ROLES = ['management', 'internal1', 'internal2'] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];
