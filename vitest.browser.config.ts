import { defineConfig } from 'vitest/config';

// The report in a real browser (playwright-core + the Chromium src/browser/launch.ts finds: the
// system's, else the one in @sparticuz/chromium). Slow-ish: it runs the policy matrix first.
// A JSON reporter always writes reports/ci-browser.json for .ci/run.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/ci-browser.json' },
  },
});
