// The course server in a network namespace with no route to the labs, its course record a
// PostgreSQL database. The namespace has no route to the database's 127.0.0.1 either: the server
// reaches it by its unix socket (a file). The suite: test/support/course-server-namespace.ts.
import { describeCourseServerInNamespace } from '../support/course-server-namespace.ts';
import { startPostgres } from '../support/postgres-server.ts';

describeCourseServerInNamespace({
  title: 'the course server in a namespace with no route to the labs, over PostgreSQL',
  prefix: 'csp',
  subnet: 232,
  async recordFor() {
    const postgres = await startPostgres();
    await postgres.createDatabase('course');
    const url = postgres.socketUrl('course');
    return { args: ['--store', url], where: url, stop: () => postgres.stop() };
  },
});
