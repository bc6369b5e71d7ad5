import { csvCell, csvDocument } from '../class-report/csv-records.ts';
import { loadRoster, rosterLinesOf } from '../class-report/roster.ts';
import { ConfigError } from '../config/config-error.ts';
import { openCourseStore, STORE_OPTIONS, storeLocation } from './course-options.ts';
import { output } from './output.ts';
import { parseSubcommandArgs, printedHelp } from './subcommand-args.ts';

export const TOKENS_USAGE = `Usage: npm run grade -- tokens [--out DIR | --store URL] [--roster FILE]
       npm run grade -- tokens --revoke STUDENT_ID [--out DIR | --store URL]
Prints, as CSV (student_id,name,email,lab,token), a new submit token for every student of the
course's roster who has no live one, to send them (mail merge, the LMS). Tokens are random, kept
only as hashes: they are shown here once. Students who already have a live token are listed on
stderr; --revoke ID revokes every token of a student (run tokens again to give them a new one).`;

// `tokens`: issue the students' submit tokens, or revoke a student's.
export async function tokensCommand(argv: string[]): Promise<number> {
  if (printedHelp(argv, TOKENS_USAGE)) return 0;
  const { values, positionals } = parseSubcommandArgs('tokens', argv, { ...STORE_OPTIONS, roster: { type: 'string' }, revoke: { type: 'string' } });
  if (positionals.length > 0) throw new ConfigError([`tokens: unexpected argument '${positionals[0]}' (see tokens --help)`]);
  const store = await openCourseStore(storeLocation('tokens', values));
  try {
    if (values.revoke !== undefined) {
      const revoked = await store.revokeTokens(values.revoke);
      output.stdout.text(`revoked ${revoked} live ${revoked === 1 ? 'token' : 'tokens'} of ${values.revoke}\n`);
      return 0;
    }
    if (values.roster) await store.putRoster(rosterLinesOf(await loadRoster(values.roster)), values.roster);
    const roster = await store.roster();
    if (!roster) throw new ConfigError(['tokens: the course record has no roster yet: give --roster FILE']);
    const live = new Set((await store.tokens()).filter((t) => !t.revokedAt).map((t) => `${t.studentId}\u0000${t.lab}`));
    const rows = [['student_id', 'name', 'email', 'lab', 'token']];
    const already: string[] = [];
    for (const entry of roster.entries) {
      if (live.has(`${entry.id}\u0000${entry.lab}`)) {
        already.push(entry.id);
        continue;
      }
      const { token } = await store.issueToken(entry.id, entry.lab);
      // The token is base64url: no cell escaping (a leading '-' must stay a '-').
      rows.push([csvCell(entry.id), csvCell(entry.name), csvCell(entry.email), csvCell(entry.lab), token]);
    }
    output.stdout.text(csvDocument(rows));
    if (already.length > 0) output.stderr.line(`router-lab-grader: ${already.length} ${already.length === 1 ? 'student has' : 'students have'} a live token already, not listed: ${already.join(', ')} (tokens --revoke ID, then tokens, gives one a new token)`);
    return 0;
  } finally {
    await store.close();
  }
}
