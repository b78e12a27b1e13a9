/**
 * The shape of apspec's suite, counted from the real feature files with Gherkin's own parser: per
 * feature file, the number of pickles (scenarios after Background, Outline and Rule expansion) and
 * the steps of each. The floor suite is generated with exactly this shape.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';
import { generateMessages } from '@cucumber/gherkin';

export interface FeatureShape {
  /** Path relative to the project root. */
  readonly uri: string;
  /** Steps per pickle (scenario), in file order. */
  readonly stepsPerScenario: readonly number[];
}

export interface SuiteShape {
  readonly features: readonly FeatureShape[];
  readonly scenarios: number;
  readonly steps: number;
}

/** Every `*.feature` under `dir`, sorted (cucumber's default profile takes `features/**\/*.feature`). */
export function listFeatures(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.feature'))
    .map((f) => join(dir, f))
    .sort();
}

export function countShape(root: string, featuresDir = join(root, 'features')): SuiteShape {
  const newId = IdGenerator.incrementing();
  const features: FeatureShape[] = [];
  for (const file of listFeatures(featuresDir)) {
    const uri = relative(root, file);
    const envelopes = generateMessages(readFileSync(file, 'utf8'), uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      includeSource: false,
      includeGherkinDocument: false,
      includePickles: true,
      newId,
    });
    const errors = envelopes.filter((e) => e.parseError).map((e) => e.parseError!.message);
    if (errors.length) throw new Error(`${uri} does not parse: ${errors.join('; ')}`);
    features.push({ uri, stepsPerScenario: envelopes.filter((e) => e.pickle).map((e) => e.pickle!.steps.length) });
  }
  const all = features.flatMap((f) => f.stepsPerScenario);
  return { features, scenarios: all.length, steps: all.reduce((a, b) => a + b, 0) };
}
