import { defineConfig } from 'vitest/config';

// Unit tests: colocated src/**/*.test.ts plus tests/**. The browser test needs chromium and a
// generated report, so it has its own config (vitest.browser.config.ts, `npm run test:browser`).
// A JSON reporter always writes reports/ci-unit.json for .ci/run to count.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'tests/fixtures/**', 'node_modules/**'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/ci-unit.json' },
  },
});
