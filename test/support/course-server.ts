// A course server in this process, on loopback, over a course record in a temporary folder: for
// the course-server suites and the deadline benchmark.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { loadCheckFile, type CheckSpec } from '../../grader/config/check-file.ts';
import { gradingProvenance } from '../../grader/config/grading-provenance.ts';
import { CourseEvents } from '../../grader/server/course-events.ts';
import { createWebApp } from '../../grader/web/web-app.ts';
import { startCourseServer, type CourseServer } from '../../grader/server/course-server.ts';
import { RunningJournal } from '../../grader/server/running-journal.ts';
import { DEFAULT_LIMITS, type GatewayLimits } from '../../grader/server/ssh-gateway.ts';
import type { CourseStore } from '../../grader/store/course-store.ts';
import { openStore } from '../../grader/store/open-store.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import { REPO } from './run-cli.ts';

export interface TestCourseServer {
  server: CourseServer;
  store: CourseStore;
  events: CourseEvents;
  url: string;
  stop(): Promise<void>;
}

export async function startTestCourseServer(options: { dir: string; keyPath: string; checks?: CheckSpec[]; limits?: Partial<GatewayLimits> }): Promise<TestCourseServer> {
  const store = await openStore(join(options.dir, 'record'));
  const checkFile = join(REPO, 'checks', 'exercise.yaml');
  const checks = options.checks ?? (await loadCheckFile(checkFile));
  const events = new CourseEvents();
  const now = () => new Date();
  const privateKey = await readFile(options.keyPath);
  const server = await startCourseServer({
    host: '127.0.0.1',
    port: 0,
    hostKey: Buffer.from(ssh2.utils.generateKeyPairSync('ed25519').private),
    web: createWebApp({ store, events, coursePublicKey: 'ssh-ed25519 AAAA test', now, baseUrl: 'http://test' }),
    grading: {
      store,
      events,
      checks,
      provenance: await gradingProvenance(checkFile, undefined, checks.map((c) => c.id)),
      connectOptions: { credentials: { privateKey }, knownHosts: await KnownHosts.load(join(options.dir, 'known_hosts')), hostKeyPolicy: 'off', readyTimeoutMs: 10_000 },
      journal: new RunningJournal(join(options.dir, 'running')),
      now,
      baseUrl: 'http://test',
    },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  });
  return {
    server,
    store,
    events,
    url: `http://127.0.0.1:${server.address.port}`,
    async stop() {
      await server.stop(5_000);
      await store.close();
    },
  };
}
