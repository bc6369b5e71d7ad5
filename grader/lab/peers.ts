import type { Role } from '../core/roles.ts';

// The far end of the exercise's path: VM1 talks to VM3 and back; the router has no peer.
export function peerOf(role: Role): Role {
  if (role === 'vm1') return 'vm3';
  if (role === 'vm3') return 'vm1';
  throw new Error('the router has no peer on the VM1-VM3 path');
}
