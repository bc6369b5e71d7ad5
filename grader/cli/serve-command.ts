import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ssh2 from 'ssh2';
import { parseInstant } from '../class-report/deadlines.ts';
import { loadRoster, rosterLinesOf } from '../class-report/roster.ts';
import { loadCheckFile } from '../config/check-file.ts';
import { ConfigError } from '../config/config-error.ts';
import { credentialsFromEnv } from '../config/credentials-from-env.ts';
import { loadEnvironmentWithWarnings } from '../config/environment.ts';
import { gradingProvenance } from '../config/grading-provenance.ts';
import { boardSecret } from '../server/board-secret.ts';
import { CourseEvents } from '../server/course-events.ts';
import { listenUrl, startCourseServer } from '../server/course-server.ts';
import { RunningJournal } from '../server/running-journal.ts';
import { DEFAULT_LIMITS } from '../server/ssh-gateway.ts';
import { createWebApp } from '../web/web-app.ts';
import { isPostgresUrl } from '../store/open-store.ts';
import { parsePrivateKey } from '../transport/credentials.ts';
import { fingerprintSha256, KnownHosts } from '../transport/known-hosts.ts';
import { openCourseStore, STORE_OPTIONS, storeLocation } from './course-options.ts';
import { output } from './output.ts';
import { parseSubcommandArgs, printedHelp } from './subcommand-args.ts';
import { optionsOf } from './option-table.ts';

export const SERVE_USAGE = `Usage: npm run grade -- serve [--listen ADDR:PORT] [--out DIR | --store URL] [--roster FILE]
             [--checks FILE] [--deadline TIME] [--concurrency N] [--base-url URL]
             [--tls-cert FILE --tls-key FILE] [--state DIR] [--rotate-board-secret]
The course server: students run \`npm run grade -- submit URL --token TOKEN\` and their lab is
graded live, through their own connection, with the course's key (GRADER_SSH_KEY or the key files
the grader reads); every attempt is recorded in the course record. One port (default
0.0.0.0:8443) serves the students' SSH and the web pages. Prints \`board: URL\` (the instructor's
page, with its access secret: the same at each start until --rotate-board-secret), \`server key:
FINGERPRINT\` (publish it: \`submit --server-key\`) and where it listens. SIGTERM stops it:
gradings in flight finish (up to 60 s) or are recorded as interrupted. docs/course-server.md says more.`;

const STOP_WAIT_MS = 60_000;

function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new ConfigError([`serve: --listen must be ADDR:PORT (e.g. 0.0.0.0:8443), not '${text}'`]);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

// The server's own SSH host key: made once, kept in the state folder.
async function serverHostKey(stateDir: string): Promise<Buffer> {
  const file = join(stateDir, 'ssh_host_ed25519_key');
  if (existsSync(file)) return readFile(file);
  const pair = ssh2.utils.generateKeyPairSync('ed25519');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFile(file, pair.private, { mode: 0o600 });
  return Buffer.from(pair.private);
}

export async function serveCommand(argv: string[], defaultChecks: string): Promise<number> {
  if (printedHelp(argv, SERVE_USAGE)) return 0;
  const { values, positionals } = parseSubcommandArgs('serve', argv, {
    ...STORE_OPTIONS,
    ...optionsOf(['roster', 'checks', 'deadline', 'concurrency']),
    listen: { type: 'string' },
    'base-url': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    state: { type: 'string' },
    'rotate-board-secret': { type: 'boolean' },
  });
  const problems: string[] = [];
  if (positionals.length > 0) problems.push(`serve: unexpected argument '${positionals[0]}' (see serve --help)`);
  const listen = parseListen(values.listen ?? '0.0.0.0:8443');
  const concurrency = Number(values.concurrency ?? DEFAULT_LIMITS.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) problems.push(`serve: --concurrency must be a whole number 1-256, not '${values.concurrency}'`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) problems.push('serve: --tls-cert and --tls-key go together');
  const deadline = values.deadline === undefined ? undefined : parseInstant(values.deadline);
  if (deadline && !deadline.ok) problems.push(`serve: --deadline ${deadline.reason}`);
  if (problems.length > 0) throw new ConfigError(problems);
  const where = storeLocation('serve', values);
  const stateDir = resolve(values.state ?? (isPostgresUrl(where) ? '.course-server' : join(where, 'course-server')));

  const checkFile = values.checks ?? defaultChecks;
  const checks = await loadCheckFile(checkFile);
  const { env, warnings } = loadEnvironmentWithWarnings('.');
  for (const warning of warnings) output.stderr.line(`router-lab-grader: ${warning}`);
  const credentials = credentialsFromEnv(env);
  if (!credentials.privateKey) throw new ConfigError(['serve: the course needs its own key: set GRADER_SSH_KEY to a private key file (students install its public key in their VMs)']);
  const parsedKey = parsePrivateKey(credentials.privateKey, credentials.passphrase);
  const coursePublicKey = `${parsedKey.type} ${parsedKey.getPublicSSH().toString('base64')} router-lab-grader-course`;
  const tlsFiles = values['tls-cert'] ? { cert: await readFile(values['tls-cert']), key: await readFile(values['tls-key']!) } : undefined;

  const store = await openCourseStore(where);
  if (values.roster) await store.putRoster(rosterLinesOf(await loadRoster(values.roster)), values.roster);
  if (deadline?.ok) await store.setSetting('deadline', deadline.iso);
  const scheme = tlsFiles ? 'https' : 'http';
  const baseUrl = (values['base-url'] ?? listenUrl(scheme, listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host, listen.port)).replace(/\/+$/, '');
  const events = new CourseEvents();
  const now = () => new Date();
  const grading = {
    store,
    events,
    checks,
    provenance: await gradingProvenance(checkFile, undefined, checks.map((c) => c.id)),
    // Students' VMs are theirs: their host keys are recorded in each report, not checked.
    connectOptions: { credentials: { privateKey: credentials.privateKey, ...(credentials.passphrase ? { passphrase: credentials.passphrase } : {}) }, knownHosts: await KnownHosts.load(join(stateDir, 'known_hosts')), hostKeyPolicy: 'off' as const, readyTimeoutMs: 15_000 },
    journal: new RunningJournal(join(stateDir, 'running')),
    now,
    baseUrl,
  };
  const hostKey = await serverHostKey(stateDir);
  const server = await startCourseServer({
    ...listen,
    hostKey,
    ...(tlsFiles ? { tls: tlsFiles } : {}),
    web: createWebApp({ store, events, coursePublicKey, now, baseUrl, log: (line) => output.stderr.line(`router-lab-grader: ${line}`) }),
    grading,
    limits: { ...DEFAULT_LIMITS, concurrency },
  });
  const secret = await boardSecret(store, join(stateDir, 'board_secret'), values['rotate-board-secret'] === true);
  output.stdout.text(`board: ${baseUrl}/login?secret=${secret}\n`);
  output.stdout.text(`server key: ${fingerprintSha256(parsePrivateKey(hostKey, undefined).getPublicSSH())} (students may check it: submit --server-key FINGERPRINT)\n`);
  output.stdout.text(`listening on ${listenUrl(scheme, server.address.host, server.address.port)} (students' submit and the web pages), course record ${store.location}\n`);

  await new Promise<void>((done) => {
    const stop = () => {
      output.stderr.line('router-lab-grader: stopping: finishing the gradings in flight');
      void server
        .stop(STOP_WAIT_MS)
        .then(({ finished, interrupted }) => output.stderr.line(`router-lab-grader: stopped (${finished} finished, ${interrupted} recorded as interrupted)`))
        .finally(() => store.close().finally(done));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
