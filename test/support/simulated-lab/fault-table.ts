// docs/faults.md: one row per fault injected into a simulated lab, the outcome of every result,
// the time to the verdict and whether both reports were written. Kept between two markers like a
// golden file; the time column varies from run to run and is left out of the comparison.
import type { Status } from '../../../grader/core/result.ts';

export const FAULT_TABLE_START = '<!-- fault-table:start -->';
export const FAULT_TABLE_END = '<!-- fault-table:end -->';

const MARKS: Record<Status, string> = { pass: '✔', fail: '✘', error: '!' };

export interface FaultRow {
  fault: string;
  vm: string;
  /** Which commands the fault hits, in words. */
  commands: string;
  statuses: Partial<Record<string, Status>>;
  seconds: number;
  reportsWritten: boolean;
}

const FIXED_COLUMNS = ['fault', 'VM', 'commands hit'];
const TIME_HEADER = 'time to verdict';

export function renderFaultTable(rows: FaultRow[], resultKeys: readonly string[]): string {
  const header = `| ${[...FIXED_COLUMNS, ...resultKeys, TIME_HEADER, 'reports written'].join(' | ')} |`;
  const rule = `|${[...FIXED_COLUMNS.map(() => '---'), ...resultKeys.map(() => ':-:'), '--:', ':-:'].join('|')}|`;
  const body = rows.map((r) => {
    const outcomes = resultKeys.map((k) => {
      const status = r.statuses[k];
      return status ? MARKS[status] : '?';
    });
    return `| ${[`\`${r.fault}\``, r.vm, r.commands, ...outcomes, `${r.seconds.toFixed(1)} s`, r.reportsWritten ? 'yes' : 'no'].join(' | ')} |`;
  });
  return [header, rule, ...body].join('\n');
}

// The table without its time column: what must not change between runs.
export function stableColumns(table: string): string {
  const lines = table.trim().split('\n');
  const headerCells = (lines[0] ?? '').split('|');
  const timeAt = headerCells.findIndex((cell) => cell.trim() === TIME_HEADER);
  if (timeAt < 0) return table.trim();
  return lines.map((line) => line.split('|').filter((_, i) => i !== timeAt).join('|')).join('\n');
}

export function faultTableIn(document: string): string | undefined {
  const start = document.indexOf(FAULT_TABLE_START);
  const end = document.indexOf(FAULT_TABLE_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return document.slice(start + FAULT_TABLE_START.length, end).trim();
}

// The whole document, keeping what an existing one has after the table (other suites' sections).
export function faultsDocument(table: string, existing = ''): string {
  const end = existing.indexOf(FAULT_TABLE_END);
  const after = end < 0 ? '' : existing.slice(end + FAULT_TABLE_END.length).trim();
  return [
    '# The grader under faults',
    '',
    'Produced by `test/faults/grader-faults.test.ts`, which grades simulated labs',
    '(`test/support/simulated-lab/`: ssh2 servers on 127.0.0.1 answering from recorded outputs) with one',
    "fault injected on one VM, and regenerated with `UPDATE_FAULTS=1 npx vitest run test/faults`. Without",
    'it, the suite compares every column but the time with this file.',
    '',
    'Outcomes: ✔ pass, ✘ fail, ! error (could not be graded). The fault-free simulated lab passes',
    'everything: its NICs answer as VirtIO NICs, unlike the namespace reference lab. "time to verdict" is',
    'the wall time of the whole grading (connection timeout 10 s; iperf measures for 1 s); "reports',
    'written" says whether both the JUnit and the JSON report were written.',
    '',
    'Faults: `refuse-auth` every key refused; `no-banner` TCP accepted, no SSH banner ever;',
    '`wrong-host-key` another host key than known_hosts has; `hang` the first 200 bytes of output, then',
    'silence (no exit status, no close); `drop` the first 200 bytes, then the TCP connection is cut;',
    '`flood` endless output as fast as SSH flow control allows; `garbage` binary bytes, NULs, invalid',
    'UTF-8, ANSI sequences and characters XML forbids instead of the output.',
    '',
    FAULT_TABLE_START,
    table,
    FAULT_TABLE_END,
    '',
    ...(after ? [after, ''] : []),
  ].join('\n');
}
