import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STEPS_MD, loadCatalogue, renderStepsMarkdown } from '../../src/docs/generate-steps';
import { STEP_MODULES } from './step-modules';

const STEPS = STEP_MODULES;

describe('docs/steps.md', () => {
  it('is what the step definitions generate (otherwise: run npm run docs)', async () => {
    const catalogue = await loadCatalogue((file) => {
      const load = STEPS[file];
      if (!load) throw new Error(`tests/docs/steps-md.test.ts: add ${file} to STEPS`);
      return load();
    });
    const generated = renderStepsMarkdown(catalogue);
    const committed = readFileSync(STEPS_MD, 'utf8');
    if (generated !== committed) expect.fail('docs/steps.md is out of date with the step definitions: run npm run docs, and commit docs/steps.md');
    // Every step of the catalogue has its row.
    const rows = catalogue.groups.reduce((n, g) => n + g.entries.length, 0);
    expect(committed.split('\n').filter((l) => /^\| `(Given|When|Then) /.test(l))).toHaveLength(rows);
  });
});
