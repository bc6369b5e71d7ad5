import type { LabReport } from '../core/lab-report.ts';

// Errors that come from the grader's side of the wire rather than from the student's lab: a
// connection that timed out (connect-failure.ts: "... within N s"), an SSH connection lost
// during grading (ssh-connection.ts, run-check.ts), a command cut at its deadline
// (command-output.ts). A refused login, an unknown host key or an unreadable output are not:
// grading again would see the same.
const GRADER_SIDE = [
  /\b(no TCP connection|no SSH handshake|authentication did not finish) with .* within [\d.]+ s\b/,
  /\bno tunnel to .* within [\d.]+ s\b/,
  /\bthe SSH connection to .* was lost\b/,
  /\blost the connection to \w+/,
  /\bdid not finish in time \(\d+ s\)/,
];

// What of a lab's report is the grader's side, one line each; empty when nothing is.
export function graderSideErrors(report: LabReport): string[] {
  const lines = [
    ...report.hosts.filter((h) => h.error !== undefined).map((h) => `${h.role}: ${h.error}`),
    ...report.results.filter((r) => r.status === 'error').map((r) => `${r.id}${r.host === 'lab' ? '' : ` ${r.host}`}: ${r.message}`),
  ];
  return [...new Set(lines.filter((line) => GRADER_SIDE.some((re) => re.test(line))))];
}
