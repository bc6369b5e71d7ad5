import path from 'node:path';
import { formatLateness } from '../class-report/deadlines.ts';
import { ConfigError } from '../config/config-error.ts';
import { formatPoints } from '../report/result-label.ts';
import { sanitizeLine } from '../report/sanitize.ts';
import { attemptHistory, type HistoryLine } from '../store/attempt-history.ts';
import { isPostgresUrl, STORE_FILE } from '../store/open-store.ts';
import { fileExists, openCourseRecord, recordLocation } from './course-record.ts';
import { parseSubcommandArgs, printedHelp } from './subcommand-args.ts';
import { output } from './output.ts';

export const HISTORY_USAGE = `Usage: npm run grade -- history [LAB...] [--out DIR | --store URL] [--json]
Every recorded grading of each lab (all labs, or those named), oldest first: when it started (UTC),
its score, on time or how late, the command that graded it, the check file's digest, and the
results that flipped since the lab's previous grading. --json prints them as a JSON array.`;

function textOf(lines: readonly HistoryLine[]): string {
  const out: string[] = [];
  let lab: string | undefined;
  for (const line of lines) {
    if (line.lab !== lab) {
      lab = line.lab;
      out.push(sanitizeLine(line.lab));
    }
    const when = line.lateByMs > 0 ? `late by ${formatLateness(line.lateByMs)}` : 'on time';
    const status = line.status === 'interrupted' ? '  INTERRUPTED' : '';
    const checks = line.checksDigest ? `checks ${line.checksDigest.slice('sha256:'.length, 'sha256:'.length + 8)}` : 'checks ?';
    out.push(`  #${line.id}  ${line.startedAt}  ${formatPoints(line.score)}/${formatPoints(line.maxScore)}  ${when}  ${line.command}  ${checks}${line.only ? ` --only ${line.only.join(',')}` : ''}${status}`);
    for (const flip of line.flipped) out.push(`      ${sanitizeLine(flip.result)}: ${flip.from ?? 'new'} -> ${flip.to ?? 'gone'}`);
  }
  return out.map((l) => `${l}\n`).join('');
}

export async function historyCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, HISTORY_USAGE)) return 0;
  const { values, positionals } = parseSubcommandArgs('history', argv, { out: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean' } });
  const options = { out: values.out ?? 'reports', ...(values.store ? { store: values.store } : {}) };
  const where = recordLocation(options);
  if (!isPostgresUrl(where) && !(await fileExists(path.join(where, STORE_FILE)))) throw new ConfigError([`history: no course record in ${where} (grade into it first, or give --store URL)`]);
  const store = await openCourseRecord(options);
  try {
    const [attempts, rosters, extensions, deadline] = await Promise.all([
      store.attempts(positionals.length > 0 ? { labs: positionals } : {}),
      store.rosters(),
      store.extensions(),
      store.setting('deadline'),
    ]);
    const unknown = positionals.filter((lab) => !attempts.some((a) => a.lab === lab));
    for (const lab of unknown) output.stderr.line(`router-lab-grader: history: no grading of ${lab} in ${store.location}`);
    const lines = attemptHistory(attempts, { rosters, extensions, ...(deadline ? { deadline } : {}) });
    output.stdout.text(values.json ? `${JSON.stringify(lines, null, 2)}\n` : textOf(lines));
    return unknown.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
