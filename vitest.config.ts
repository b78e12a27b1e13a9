import { defineConfig } from 'vitest/config';

// Unit tests: colocated src/**/*.test.ts plus tests/**. The browser test needs chromium and a
// generated report, so it has its own config (vitest.browser.config.ts, `npm run test:browser`).
// Under CI=true a JSON reporter writes reports/ci-unit.json for .ci/run to count.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'tests/fixtures/**', 'node_modules/**'],
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'reports/ci-unit.json' },
  },
});
