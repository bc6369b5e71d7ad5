import type { CheckResult } from '../core/result.ts';

export interface LabProgress {
  started(check: { id: string; host: string }): void;
  finished(result: CheckResult): void;
  close(): void;
}

interface Options {
  /** The terminal's width: the status line is cut to fit, so that it never wraps (default 80). */
  columns?: number;
  /** Redraw every second, so that the elapsed time moves during a long check (default true). */
  tick?: boolean;
}

// One lab's progress on a terminal: a status line (results so far, the checks running, the time
// since the start) redrawn as each check starts and finishes and every second, below any warning
// printed meanwhile, erased before the report is printed. Undefined when the stream is not a terminal: a log or a script gets the report
// alone, as before. A class shows its own progress, a line per lab (grader/class/progress.ts).
export function createLabProgress(stream: { isTTY?: boolean; status(line: string): void }, lab: string, total: number, options: Options = {}): LabProgress | undefined {
  if (stream.isTTY !== true) return undefined;
  const started = performance.now();
  const running: string[] = [];
  const count = { pass: 0, fail: 0, error: 0 };
  let done = 0;
  let closed = false;
  const width = Math.max(20, (options.columns ?? 80) - 1);
  const draw = () => {
    if (closed) return;
    const seconds = Math.floor((performance.now() - started) / 1000);
    const doing =
      done === 0 && running.length === 0
        ? 'connecting to the VMs'
        : `${count.pass} passed, ${count.fail} failed, ${count.error} errors${running.length > 0 ? `; running ${running.join(', ')} (${seconds} s)` : ''}`;
    const line = `[${done}/${total}] ${lab}: ${doing}`;
    stream.status(line.length > width ? `${line.slice(0, width - 1)}…` : line);
  };
  const timer = options.tick === false ? undefined : setInterval(draw, 1000);
  timer?.unref();
  draw();
  const label = (check: { id: string; host: string }) => (check.host === 'lab' ? check.id : `${check.id} ${check.host}`);
  return {
    started(check) {
      running.push(label(check));
      draw();
    },
    finished(result) {
      const at = running.indexOf(label(result));
      if (at >= 0) running.splice(at, 1);
      done += 1;
      count[result.status] += 1;
      draw();
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      stream.status('');
    },
  };
}
