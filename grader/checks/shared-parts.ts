import { ROLE_LABELS, ROLES, type Role } from '../core/roles.ts';
import type { JsonSchema } from './check-kind.ts';
import type { Evidence, Verdict } from '../core/result.ts';

// The `to` parameter of the checks that send traffic: the VM at the far end.
export function peerParam(what: string): JsonSchema {
  return { enum: [...ROLES], description: `VM ${what} (default: the other end of the path, VM3 for VM1)` };
}

// A tool the check needs is not on the VM: a failure of the student's setup, with the fix.
export function missingTool(role: Role, tool: string, debianPackage: string, evidence: Evidence[]): Verdict {
  return {
    status: 'fail',
    message: `${tool} is not installed on ${ROLE_LABELS[role]}`,
    evidence,
    hint: `Install it on ${ROLE_LABELS[role]}: \`sudo apt install ${debianPackage}\`.`,
  };
}
