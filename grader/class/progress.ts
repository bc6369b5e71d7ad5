import type { LabReport } from '../core/lab-report.ts';

/** graded; kept from an earlier run (--resume); graded again for errors of the grader's side. */
export type How = 'graded' | 'resumed' | 'retried';

export interface Progress {
  /** `note`: a line to show about it first (why a kept report is graded again). */
  started(lab: string, note?: string): void;
  /** `problem`: what went wrong after grading (its reports could not be written). */
  finished(lab: string, report: LabReport, how: How, problem?: string): void;
  close(): void;
}

function summaryLine(lab: string, report: LabReport, how: How, width: number): string {
  const { pass, fail, error } = report.summary;
  const when = how === 'resumed' ? 'kept from an earlier run' : `${(report.durationMs / 1000).toFixed(1)} s${how === 'retried' ? ', graded again after errors of the grader\'s side' : ''}`;
  return `${lab.padEnd(width)}  ${String(report.score).padStart(3)}/${report.maxScore}  ${pass} passed, ${fail} failed, ${error} errors  (${when})`;
}

// Progress of a class: in a log, one line per finished lab; on a terminal, the same lines with a
// live status line below them (counts and the labs being graded).
export function createProgress(stream: { isTTY?: boolean; write(s: string): unknown }, labs: string[]): Progress {
  const width = Math.min(24, Math.max(3, ...labs.map((l) => l.length)));
  const running = new Set<string>();
  let done = 0;
  const live = stream.isTTY === true;
  const status = () => {
    if (!live) return;
    const names = [...running].slice(0, 4).join(', ') + (running.size > 4 ? ', ...' : '');
    stream.write(`\r\x1b[K[${done}/${labs.length}] ${running.size} grading${names ? `: ${names}` : ''}`);
  };
  return {
    started(lab, note) {
      running.add(lab);
      if (note !== undefined) stream.write(`${live ? '\r\x1b[K' : ''}${lab.padEnd(width)}  ${note}\n`);
      status();
    },
    finished(lab, report, how, problem) {
      running.delete(lab);
      if (how !== 'retried') done += 1;
      stream.write(`${live ? '\r\x1b[K' : ''}[${done}/${labs.length}] ${summaryLine(lab, report, how, width)}${problem ? `; ${problem}` : ''}\n`);
      status();
    },
    close() {
      if (live) stream.write('\r\x1b[K');
    },
  };
}
