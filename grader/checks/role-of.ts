import type { Role } from '../core/roles.ts';
import type { CheckContext } from './check-kind.ts';

// The VM a per-host check is about (the runner never gives 'lab' to a per-host kind).
export function roleOf(context: CheckContext<unknown>): Role {
  if (context.host === 'lab') throw new Error('a per-host check was run for the whole lab');
  return context.host;
}
