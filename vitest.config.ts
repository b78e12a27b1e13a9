import { defineConfig } from 'vitest/config';

// Unit tests: colocated src/**/*.test.ts plus tests/**. The browser test needs chromium and a
// generated report, so it has its own config (vitest.browser.config.ts, `npm run test:browser`).
// A JSON reporter always writes reports/ci-unit.json for .ci/run to count.
// Two test files at a time: most of the suite's time is spent in child processes and worker
// threads (cucumber-js, the runner's workers) and in the explorer's searches, which a second
// vitest worker overlaps. The timeout is for a shared, loaded machine, never a measurement.
export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'tests/fixtures/**', 'node_modules/**'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/ci-unit.json' },
  },
});
