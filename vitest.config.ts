import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['grader/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'reference-lab/**/*.test.ts', 'vm-lab/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites build network namespaces and sshd instances; running two files at once on
    // a 2-core machine is fine, more only adds contention.
    maxWorkers: 2,
  },
});
