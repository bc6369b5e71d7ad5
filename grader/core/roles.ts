// The three machines of the exercise, named as the exercise names them.
export const ROLES = ['vm1', 'router', 'vm3'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = { vm1: 'VM1', router: 'the router VM', vm3: 'VM3' };
