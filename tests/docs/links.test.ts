import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html';

const ROOT = resolve(__dirname, '../..');
const DOCS = ['steps.md', 'glossary.md', 'thread.md', 'writing-features.md', 'writing-policies.md'];

describe('the onboarding docs', () => {
  it('are linked from the README and from reports/index.html', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const html = renderHtml({ formatVersion: 2, policies: [], scenarios: [], coverage: [] });
    for (const doc of DOCS) {
      expect(readme, `README links docs/${doc}`).toContain(`(docs/${doc})`);
      expect(html, `index.html links ${doc}`).toContain(`href="../docs/${doc}"`);
    }
  });

  it('link only to files that exist', () => {
    const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!existsSync(resolve(ROOT, dirname(file), target!))) broken.push(`${file} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('name in the glossary src/sim files that exist', () => {
    const glossary = readFileSync(join(ROOT, 'docs/glossary.md'), 'utf8');
    const missing = [...glossary.matchAll(/`(src\/[\w/.-]+\.ts)`/g)].map((m) => m[1]!).filter((f) => !existsSync(join(ROOT, f)));
    expect(missing).toEqual([]);
  });
});
