// The course server in a network namespace with no route to the labs, its course record an
// --out folder (SQLite). The suite: test/support/course-server-namespace.ts.
import { join } from 'node:path';
import { describeCourseServerInNamespace } from '../support/course-server-namespace.ts';

describeCourseServerInNamespace({
  title: 'the course server in a namespace with no route to the labs',
  prefix: 'cs',
  subnet: 231,
  recordFor: async (dir) => ({ args: ['--out', join(dir, 'record')], where: join(dir, 'record') }),
});
