import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureFiles, formatFeature } from '../../src/docs/format-features';

describe('feature files', () => {
  it("are in gherkin-utils' canonical format (otherwise: run npm run format:features)", () => {
    const files = featureFiles();
    expect(files.length).toBeGreaterThan(15);
    const unformatted = files.filter((f) => formatFeature(readFileSync(f, 'utf8')) !== readFileSync(f, 'utf8'));
    if (unformatted.length)
      expect.fail(`not formatted: ${unformatted.map((f) => relative(process.cwd(), f)).join(', ')}. Run npm run format:features and commit the result.`);
  });
});
