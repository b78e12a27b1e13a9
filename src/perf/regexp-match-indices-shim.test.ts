/**
 * The regexp shim must not change a single step match: for every step definition of this project
 * and every step text in its features, the `d`-flag indices equal the polyfill's, and the patched
 * TreeRegexp builds the same argument groups as the original did from the polyfill.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { IdGenerator, SourceMediaType } from '@cucumber/messages';
import { generateMessages } from '@cucumber/gherkin';
import { supportCodeLibraryBuilder } from '@cucumber/cucumber';
import { beforeAll, describe, expect, it } from 'vitest';
import { execWithIndices, installShim } from './regexp-match-indices-shim';
import { loadTreeRegexp, shimState, type TreeRegexpLike } from './tree-regexp';

const root = resolve(__dirname, '..', '..');
const req = createRequire(join(root, 'package.json'));
// The polyfill exactly as cucumber-expressions resolves it.
const expressionsRequire = createRequire(req.resolve('@cucumber/cucumber-expressions', { paths: [dirname(req.resolve('@cucumber/cucumber'))] }));
const polyfill = expressionsRequire('regexp-match-indices') as (re: RegExp, s: string) => (RegExpExecArray & { indices: unknown[] }) | null;

function stepTexts(): string[] {
  const texts = new Set<string>();
  const newId = IdGenerator.incrementing();
  const files = (readdirSync(join(root, 'features'), { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.feature'));
  for (const f of files) {
    const envelopes = generateMessages(readFileSync(join(root, 'features', f), 'utf8'), f, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      includeSource: false,
      includeGherkinDocument: false,
      includePickles: true,
      newId,
    });
    for (const e of envelopes) for (const s of e.pickle?.steps ?? []) texts.add(s.text);
  }
  return [...texts];
}

let regexps: RegExp[] = [];
let texts: string[] = [];

beforeAll(async () => {
  supportCodeLibraryBuilder.reset(root, IdGenerator.incrementing());
  const dir = join(root, 'steps');
  const files = (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  for (const f of files) await import(join(dir, f));
  const library = supportCodeLibraryBuilder.finalize();
  regexps = library.stepDefinitions.map((d) => (d.expression as unknown as { regexp: RegExp }).regexp);
  texts = stepTexts();
});

describe('regexp-match-indices shim', () => {
  it('covers the project: step definitions and step texts were found', () => {
    expect(regexps.length).toBeGreaterThan(20);
    expect(texts.length).toBeGreaterThan(50);
  });

  it('gives the same matches, groups and indices as the polyfill for every definition x step text', () => {
    let matches = 0;
    for (const re of regexps)
      for (const text of texts) {
        const expected = polyfill(re, text);
        const actual = execWithIndices(re, text);
        expect(actual === null, `${re} on "${text}"`).toBe(expected === null);
        if (!expected || !actual) continue;
        matches += 1;
        expect([...actual], `${re} on "${text}"`).toEqual([...expected]);
        expect([...actual.indices!], `${re} on "${text}"`).toEqual([...(expected.indices as unknown[])]);
      }
    expect(matches).toBeGreaterThanOrEqual(texts.length); // every text matches at least one definition
  });

  it('the patched TreeRegexp builds the same argument groups as the original', () => {
    expect(installShim({})).toBe('installed');
    expect(shimState()).toBe('installed');
    const TreeRegexp = loadTreeRegexp();
    for (const re of regexps) {
      const tree = new TreeRegexp(re) as TreeRegexpLike;
      for (const text of texts) {
        const m = polyfill(re, text);
        let i = 0;
        const expected = m ? tree.groupBuilder.build(m, () => i++) : null;
        expect(JSON.stringify(tree.match(text)), `${re} on "${text}"`).toBe(JSON.stringify(expected));
      }
    }
  });

  it('APSPEC_NO_SHIM=1 switches it off', () => {
    expect(installShim({ APSPEC_NO_SHIM: '1' })).toBe('disabled');
  });
});
