import { CucumberExpression, type ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import { supportCodeLibraryBuilder } from '@cucumber/cucumber';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueEntry } from '../steps/support/define';

// Load the step definitions the way Cucumber does: reset the support-code builder, then import them.
let catalogue: CatalogueEntry[];
let registry: ParameterTypeRegistry;

beforeAll(async () => {
  let id = 0;
  supportCodeLibraryBuilder.reset(process.cwd(), () => String(id++));
  await import('../steps/support/parameter-types');
  await import('../steps/host.steps');
  await import('../steps/vfio-ap.steps');
  await import('../steps/mdev.steps');
  await import('../steps/guest.steps');
  await import('../steps/kvm.steps');
  await import('../steps/outcome.steps');
  await import('../steps/policy.steps');
  ({ CATALOGUE: catalogue } = await import('../steps/support/define'));
  registry = supportCodeLibraryBuilder.finalize().parameterTypeRegistry as unknown as ParameterTypeRegistry;
});

/** The step line of an example: without its keyword, and without a doc string that follows it. */
const stepText = (entry: CatalogueEntry): string => entry.example.split('\n')[0].replace(/^(Given|When|Then|And|But) /, '');

describe('the step catalogue', () => {
  it('documents every step with a one-line meaning and an example', () => {
    expect(catalogue.length).toBeGreaterThan(50);
    for (const entry of catalogue) {
      expect(entry.meaning, entry.expression).toMatch(/\S/);
      expect(entry.meaning, entry.expression).not.toContain('\n');
      expect(entry.example.startsWith(`${entry.keyword} `), entry.expression).toBe(true);
    }
  });

  it("has examples that match their own step's expression", () => {
    for (const entry of catalogue) {
      const expression = new CucumberExpression(entry.expression, registry);
      expect(expression.match(stepText(entry)), `${entry.keyword} ${entry.expression} <- ${entry.example}`).not.toBeNull();
    }
  });

  it('covers every phrase of the binding vocabulary in spec form', () => {
    // The phrases of spec/steps.md, with alternatives spelled out, as feature files write them.
    const phrases = readFileSync(join(__dirname, 'step-vocabulary.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    const expressions = [...new Set(catalogue.map((entry) => entry.expression))].map((e) => new CucumberExpression(e, registry));
    for (const phrase of phrases) {
      const text = phrase.replace(/^(Given|When|Then) /, '');
      const matching = expressions.filter((e) => e.match(text) !== null);
      expect(matching.length, phrase).toBe(1);
    }
  });
});
