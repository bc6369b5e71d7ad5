import { ROLE_LABELS, ROLES, type Role } from '../core/roles.ts';
import type { JsonSchema } from './check-kind.ts';
import type { Evidence, Verdict } from '../core/result.ts';

// The `to` parameter of the checks that send traffic: the VM at the far end.
export function peerParam(what: string): JsonSchema {
  return { enum: [...ROLES], description: `VM ${what} (default: the other end of the path, VM3 for VM1)` };
}

// A tool the check needs is not on the VM: a failure of the student's setup, with the fix.
// Its subject (`tool-missing`): the VM, the tool and the Debian package that brings it.
export function missingTool(role: Role, tool: string, debianPackage: string, evidence: Evidence[]): Verdict {
  return {
    status: 'fail',
    reason: 'tool-missing',
    subject: { host: role, tool, package: debianPackage },
    message: `${tool} is not installed on ${ROLE_LABELS[role]}`,
    evidence,
    hint: `Install it on ${ROLE_LABELS[role]}: \`${installCommand(debianPackage)}\`.`,
  };
}

export const installCommand = (debianPackage: string) => `sudo apt install ${debianPackage}`;

// The tools' own refusals that mean the network is wrong, not that the grader failed: observations
// of a broken lab (a failure), never a could-not-grade.
export const NETWORK_REFUSAL = /Network is unreachable|No route to host|Destination Host Unreachable/i;

/** The refusal's last line, when the tool refused to send because of the network. */
export function networkRefusal(stdout: string, stderr: string): string | undefined {
  if (!NETWORK_REFUSAL.test(stderr + stdout)) return undefined;
  return (stderr.trim() || stdout.trim()).split('\n').pop() ?? '';
}

/** Why a stored result of a report written before verdicts recorded their subject cannot be judged again. */
export const WRITTEN_BEFORE_SUBJECTS = 'the report was written by an earlier version of the grader, which did not record what its verdicts were about';
