import { defineConfig } from 'vitest/config';

// Two tiers, as vitest projects. `npm test` runs both; `npm run test:unit` only the first.
//
// integration: what needs root, network namespaces, OpenSSH's sshd, libvirt/QEMU or Chromium, and
// the suites that grade simulated labs over real SSH connections on loopback (no root, but minutes
// of wall time). Each file is listed with what it needs.
const INTEGRATION = [
  'labs/netns/lab.test.ts', // root: namespaces, bridges, sshd
  'test/e2e/verdicts.test.ts', // root: the reference lab, every variant
  'test/e2e/class.test.ts', // root: a class of reference labs
  'test/cli/grade-faults.test.ts', // root: the reference lab through the CLI
  'test/cli/usage.test.ts', // root: the CLI offline (unshare --net)
  'test/e2e/credentials-precedence.test.ts', // root: npm run demo and a reference lab, a bad .env in the working directory
  'test/e2e/gradescope.test.ts', // root: examples/gradescope/run_autograder on a reference lab
  'test/e2e/ci-examples.test.ts', // root: the GitLab, Jenkins and CodeGrade examples on a reference lab
  'test/e2e/interrupt.test.ts', // root: Ctrl-C during a reference lab's iperf
  'test/e2e/reference-class.test.ts', // root: two reference labs graded as a class
  'test/e2e/plans-class.test.ts', // root: reference labs built on students' plans, graded as a class
  'test/e2e/class-shards.test.ts', // root: reference labs in shards, merge, gitlab-ci-local, rescore, copies
  'test/cli/class-files.test.ts', // simulated labs over SSH on loopback: partial regrades, shards
  'test/cli/course-record.test.ts', // simulated labs over SSH on loopback: the course record's stories, deadlines, two runs at once
  'test/cli/lab-progress.test.ts', // a simulated lab over SSH on loopback, graded on a pseudo-terminal (util-linux script)
  'test/store/postgres-store.test.ts', // root: a PostgreSQL server started as nobody
  'test/cli/course-record-postgres.test.ts', // root: a PostgreSQL server; simulated labs graded in shards into it
  'test/e2e/vm-lab.test.ts', // root: libvirt and QEMU
  'test/e2e/vm-lab-server.test.ts', // root: libvirt and QEMU, two labs found with --hypervisor local
  'labs/libvirt/vm-lab.test.ts', // root: libvirt and QEMU
  'test/e2e/owner-watch.test.ts', // root: a reference lab and a VM lab whose test process is killed
  'test/transport/connect.test.ts', // OpenSSH sshd
  'test/transport/jump-host.test.ts', // OpenSSH sshd
  'test/transport/run-command.test.ts', // OpenSSH sshd
  'test/transport/witness-channel.test.ts', // OpenSSH sshd
  'grader/class-report/class-html-chromium.test.ts', // Chromium
  'test/web/board-browser.test.ts', // Chromium (playwright-core) and the board on loopback
  'test/web/board-http.test.ts', // the board's web app on loopback
  'test/transport/faults.test.ts', // misbehaving ssh2 servers on loopback
  'test/faults/*.test.ts', // simulated labs over SSH on loopback
  'test/scale/*.test.ts', // 300 simulated labs over SSH on loopback
  'test/e2e/course-server-simulated.test.ts', // a course server and simulated labs over SSH on loopback
  'test/e2e/course-server.test.ts', // root: the course server in a network namespace of its own, reference labs
  'test/e2e/course-server-postgres.test.ts', // root: the same, its course record in a PostgreSQL server started as nobody
  'test/cli/serve-keys.test.ts', // serve on loopback: its board link across starts, its host key pinned by submit
];

// unit: everything else. Parsers on recorded outputs, check evaluation, reports (with xmllint),
// configuration, gradeLab on a replayed lab (test/support/simulated-lab/replay-lab.ts), the
// launcher: no root, no sockets but local pipes, about a minute on 2 cores.
const ALL = ['grader/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'labs/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites build network namespaces and sshd instances; running two files at once on
    // a 2-core machine is fine, more only adds contention.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ALL, exclude: INTEGRATION } },
      // Labs these tests bring up are torn down by their owner watch if the test process is killed
      // (labs/kit/owner-watch.ts).
      { extends: true, test: { name: 'integration', include: INTEGRATION, env: { RLG_TEAR_DOWN_WITH_PROCESS: '1' } } },
    ],
  },
});
