/**
 * Every feature file in gherkin-utils' canonical layout (`gherkin-utils format`: indentation, table
 * alignment, blank lines), so diffs of features show meaning, not whitespace.
 *
 *   npm run format:features        rewrite the files that are not formatted
 *
 * tests/docs/features-formatted.test.ts formats each feature in memory and fails on a difference.
 */
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { pretty } from '@cucumber/gherkin-utils';
import { IdGenerator } from '@cucumber/messages';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const FEATURES_DIR = resolve(__dirname, '../../features');

/** The canonical text of a feature file (throws the Gherkin parse error for a malformed one). */
export function formatFeature(source: string): string {
  const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
  return pretty(parser.parse(source), 'gherkin');
}

/** Every .feature file under `dir`, sorted. */
export function featureFiles(dir = FEATURES_DIR): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...featureFiles(path));
    else if (name.endsWith('.feature')) out.push(path);
  }
  return out;
}

if (require.main === module) {
  let changed = 0;
  for (const file of featureFiles()) {
    const source = readFileSync(file, 'utf8');
    const formatted = formatFeature(source);
    if (formatted === source) continue;
    writeFileSync(file, formatted);
    changed += 1;
    process.stdout.write(`formatted ${relative(process.cwd(), file)}\n`);
  }
  process.stdout.write(`${changed} feature file${changed === 1 ? '' : 's'} rewritten\n`);
}
