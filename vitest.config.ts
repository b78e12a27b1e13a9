import { defineConfig } from 'vitest/config';

// Unit tests: colocated src/**/*.test.ts plus tests/**. The browser test needs chromium and a
// generated report, so it has its own config (vitest.browser.config.ts, `npm run test:browser`).
// A JSON reporter always writes reports/ci-unit.json for .ci/run to count.
// Three test files at a time on this 2-core machine: much of the suite waits on child processes
// and worker threads (cucumber-js, the runner's workers), and no long file should hold a lane the
// others queue behind (measured: 100 s with two, 79 s with three, every test passing; the longest
// files are now the explorer's searches, split so they run side by side). The timeout is for a
// shared, loaded machine, never a measurement.
export default defineConfig({
  test: {
    maxWorkers: 3,
    testTimeout: 60_000,
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'tests/fixtures/**', 'node_modules/**'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/ci-unit.json' },
  },
});
