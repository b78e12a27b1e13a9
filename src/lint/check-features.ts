/**
 * The feature check that runs before any scenario (`npm start` and `npx cucumber-js`): what Gherkin
 * accepts but a spec writer did not mean, and that would otherwise drop silently out of the run.
 *
 * - A description line that looks like a misspelled keyword (`Scenaro: X`, `Gvien an s390 host`):
 *   Gherkin takes it as free text, so the scenario or step is silently not there.
 * - Two scenarios of one feature with the same name: the report would show one row for both.
 * - A step no step definition matches: caught here, with the closest phrases of the vocabulary, instead
 *   of as an "undefined" cell after every policy has run.
 *
 * Why our own check on @cucumber/gherkin's AST rather than a linter from the registry: `gherkin-lint`
 * (4.2.x) parses with the deprecated `gherkin` 9 package, a second parser that can disagree with the
 * @cucumber/gherkin 38 cucumber 12.9 runs, and brings core-js, lodash and commander along; `gplint` (a
 * fork) pins @cucumber/gherkin 26 and ts-node 10.9.1; `gherklin` 0.2 is young and pulls winston and zod;
 * `@cucumber/gherkin-lint` does not exist. Of the three checks, those linters offer only the duplicate
 * names (`no-dupe-scenario-names`): none looks at descriptions for misspelled keywords, none knows the
 * step vocabulary. The parser cucumber itself uses (same version, via `@cucumber/gherkin`), its
 * dialects for the keywords, and `compile` for the pickles give all three in one pass over the AST,
 * and cannot disagree with what cucumber runs.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile, dialects, type Dialect } from '@cucumber/gherkin';
import { IdGenerator, type Feature, type GherkinDocument, type Scenario } from '@cucumber/messages';

/** One problem, at a line of a feature file. */
export interface FeatureProblem {
  /** The file as given (cucumber's uri, or the path the caller passed). */
  readonly uri: string;
  readonly line: number;
  readonly message: string;
  /**
   * `silent-drop`: Gherkin accepts the file and the run would pass without what the writer meant, so
   * the runners stop before any scenario. `vocabulary`: a step no definition matches; the runners say
   * so before any scenario and go on, so that cucumber prints a snippet for it, and the run fails.
   */
  readonly kind: 'silent-drop' | 'vocabulary';
}

/** The step vocabulary as the loaded step definitions define it. */
export interface StepVocabulary {
  /** True when some step definition matches the step text. */
  matches(text: string): boolean;
  /** Every phrase, with its keyword (`Given adapters {ids} are reserved for pass-through`), for suggestions. */
  readonly phrases: readonly string[];
}

/** Thrown by the runners when the check finds something; its message is featureProblemsText. */
export class FeatureCheckError extends Error {
  override name = 'FeatureCheckError';
}

/** A step definition as cucumber's support code library (or its builder) holds it. */
export interface StepDefinitionLike {
  readonly keyword?: string;
  readonly pattern: string | RegExp;
  matchesStepName(text: string): boolean;
}

/** The vocabulary of loaded step definitions (`supportCodeLibrary.stepDefinitions`). */
export function vocabularyOf(definitions: readonly StepDefinitionLike[]): StepVocabulary {
  // Features repeat their steps ("Given an s390 host"): each distinct text is matched once.
  const known = new Map<string, boolean>();
  return {
    matches: (text) => {
      let hit = known.get(text);
      if (hit === undefined) known.set(text, (hit = definitions.some((d) => d.matchesStepName(text))));
      return hit;
    },
    phrases: definitions.map((d) => `${d.keyword && d.keyword !== 'Unknown' ? `${d.keyword} ` : ''}${typeof d.pattern === 'string' ? d.pattern : d.pattern.source}`),
  };
}

/**
 * Check feature files before a run. `files` are paths (absolute or relative to `cwd`); a file that
 * does not parse is left to cucumber, whose parse error already names the line.
 */
export function checkFeatures(files: readonly string[], cwd: string, vocabulary?: StepVocabulary, selected?: ReadonlySet<string>): FeatureProblem[] {
  const out: FeatureProblem[] = [];
  for (const file of [...new Set(files)]) {
    const abs = resolve(cwd, file);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch {
      continue; // cucumber names a missing file itself
    }
    const uri = relative(cwd, abs).startsWith('..') ? abs : relative(cwd, abs);
    out.push(...checkFeatureText(uri, text, vocabulary, selected && ((line) => selected.has(`${abs}:${line}`))));
  }
  return out;
}

/**
 * Check one feature's text; `uri` is how problems name the file. `isSelected(line)` limits the
 * vocabulary check to the scenarios (or example rows) the run selected, by their line, so a scenario
 * left out by tags or a :line is not held against the run; the other checks cover the whole file.
 */
export function checkFeatureText(uri: string, text: string, vocabulary?: StepVocabulary, isSelected?: (line: number) => boolean): FeatureProblem[] {
  const newId = IdGenerator.incrementing();
  let doc: GherkinDocument;
  try {
    doc = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(text);
  } catch {
    return []; // a parse error: cucumber reports it, with its line
  }
  const feature = doc.feature;
  if (!feature) return [];
  const dialect = dialects[feature.language] ?? dialects.en!;
  const lines = text.split(/\r?\n/);
  const out: FeatureProblem[] = [];
  const problem = (line: number, message: string, kind: FeatureProblem['kind'] = 'silent-drop') => out.push({ uri, line, message, kind });

  // 1. Descriptions that look like a keyword.
  // `steps`: a description where a misspelled step keyword drops a step (scenarios and backgrounds).
  const described: { line: number; description: string; steps?: true }[] = [{ line: feature.location.line, description: feature.description }];
  const scenarios: Scenario[] = [];
  const visit = (children: Feature['children']) => {
    for (const child of children) {
      if (child.background) described.push({ line: child.background.location.line, description: child.background.description, steps: true });
      if (child.scenario) {
        scenarios.push(child.scenario);
        described.push({ line: child.scenario.location.line, description: child.scenario.description, steps: true });
        for (const ex of child.scenario.examples) described.push({ line: ex.location.line, description: ex.description });
      }
      if (child.rule) {
        described.push({ line: child.rule.location.line, description: child.rule.description });
        visit(child.rule.children);
      }
    }
  };
  visit(feature.children);
  for (const { line, description, steps } of described) {
    if (!description.trim()) continue;
    let from = line; // description lines follow their keyword line, in order
    for (const d of description.split('\n').map((l) => l.trim())) {
      if (!d) continue;
      const at = lines.findIndex((l, i) => i >= from && l.trim() === d);
      if (at < 0) continue;
      from = at + 1;
      const hint = keywordLookalike(d, dialect, steps === true);
      if (hint) problem(at + 1, hint);
    }
  }

  // 2. Duplicate scenario names within the feature (rules included).
  const byName = new Map<string, number>();
  for (const s of scenarios) {
    const name = s.name.trim();
    if (!name) continue;
    const first = byName.get(name);
    if (first === undefined) byName.set(name, s.location.line);
    else
      problem(
        s.location.line,
        `the scenario name "${name}" is already used at line ${first} of this feature. Give each scenario its own name: the report and the expected verdicts tell scenarios apart by name and file.`,
      );
  }

  // 3. Steps outside the vocabulary (pickles, so Scenario Outline steps are checked with their values).
  if (vocabulary) {
    const stepLine = new Map<string, number>();
    const keywordOf = new Map<string, string>();
    for (const s of scenarios) for (const st of s.steps) (stepLine.set(st.id, st.location.line), keywordOf.set(st.id, st.keyword.trim()));
    for (const child of feature.children) {
      for (const st of child.background?.steps ?? []) (stepLine.set(st.id, st.location.line), keywordOf.set(st.id, st.keyword.trim()));
      for (const rc of child.rule?.children ?? []) for (const st of rc.background?.steps ?? []) (stepLine.set(st.id, st.location.line), keywordOf.set(st.id, st.keyword.trim()));
    }
    const seen = new Set<string>();
    for (const pickle of compile(doc, uri, newId)) {
      if (isSelected && pickle.location && !isSelected(pickle.location.line)) continue;
      for (const ps of pickle.steps) {
        if (vocabulary.matches(ps.text)) continue;
        const astId = ps.astNodeIds[0]!;
        const line = stepLine.get(astId) ?? pickle.location?.line ?? 0;
        if (seen.has(`${line}\u0000${ps.text}`)) continue;
        seen.add(`${line}\u0000${ps.text}`);
        const close = closestPhrases(ps.text, vocabulary.phrases);
        problem(
          line,
          `no step of the vocabulary matches "${clip(`${keywordOf.get(astId) ?? ''} ${ps.text}`.trim())}".` +
            (close.length ? ` Did you mean: ${close.map((p) => `"${p}"`).join(' or ')}?` : '') +
            ' The vocabulary is docs/steps.md; a new phrase needs a step in steps/*.steps.ts (the snippet below is a start).',
          'vocabulary',
        );
      }
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/** One paragraph listing problems as `file:line: message`, with what happens and what to do. */
export function featureProblemsText(problems: readonly FeatureProblem[]): string {
  const n = problems.length;
  const stops = problems.some((p) => p.kind === 'silent-drop');
  return (
    `The feature check found ${n} problem${n === 1 ? '' : 's'}${stops ? '; nothing was run' : ' (the run goes on, and fails)'}:\n` +
    problems.map((p) => `  ${p.uri}:${p.line}: ${p.message}`).join('\n') +
    '\nFix the lines above and run again.'
  );
}

/** Keyword-like words in a description line: a misspelled section keyword before a colon, or a misspelled step keyword first. */
function keywordLookalike(line: string, dialect: Dialect, steps: boolean): string | undefined {
  const colon = /^([^\s:][^:]{0,40}):/.exec(line);
  if (colon) {
    const word = colon[1]!.trim();
    const sections = [...dialect.feature, ...dialect.rule, ...dialect.background, ...dialect.scenario, ...dialect.scenarioOutline, ...dialect.examples];
    const near = nearest(word, sections, (k) => (k.length >= 7 ? 2 : 1));
    if (near)
      return `"${clip(line)}" is read as description text, not as a ${near}: the keyword is spelled "${near}:" (case matters), so this ${/example|scenario/i.test(near) ? 'scenario' : 'section'} is silently not there. Write "${near}:".`;
  }
  const first = /^([A-Za-z]+)\b/.exec(line)?.[1];
  if (steps && first && /^[A-Z]/.test(first) && !ENGLISH_LOOKALIKES.has(first)) {
    // Only the long step keywords (Given/When/Then): "An", "Bt" ... are too close to ordinary words.
    // Only a swapped, replaced or doubled letter (Gvien, Wehn, Thenn): a dropped one gives words of
    // prose ("The", "Give").
    const keywords = [...dialect.given, ...dialect.when, ...dialect.then].map((k) => k.trim()).filter((k) => k !== '*' && k.length >= 4);
    const near = nearest(first, keywords.filter((k) => first.length === k.length || first.length === k.length + 1), () => 1);
    if (near)
      return `"${clip(line)}" is read as description text, not as a step: "${first}" looks like the keyword "${near}", so the step is silently not run. Write "${near} ...".`;
  }
  return undefined;
}

/** Capitalised words one letter away from Given/When/Then that open ordinary sentences. */
const ENGLISH_LOOKALIKES = new Set(['Than', 'Them', 'Thee', 'Thin', 'Wren', 'Whet', 'Whey', 'Thens', 'Whence']);

/** The keyword within `limit(keyword)` edits of `word` (transpositions count once), if not `word` itself. */
function nearest(word: string, keywords: readonly string[], limit: (k: string) => number): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of keywords) {
    if (word === k) return undefined;
    const d = k.toLowerCase() === word.toLowerCase() ? 0.5 : osa(word.toLowerCase(), k.toLowerCase());
    if (d <= limit(k) && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), for short words. */
function osa(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/**
 * The phrases closest to a step text: values (quoted strings, numbers, APQNs, errno names) and
 * parameters both become `{}`, optional text and alternatives their plain words, then the character
 * edit distance decides, within 40% of the longer phrase. Long texts are compared with nothing.
 */
export function closestPhrases(text: string, phrases: readonly string[], max = 2): string[] {
  const t = normalizeText(text);
  if (t.length > 300) return [];
  const scored: { p: string; d: number }[] = [];
  for (const p of phrases) {
    const n = normalizePhrase(p.replace(/^(Given|When|Then) /, ''));
    const limit = Math.max(4, Math.ceil(0.4 * Math.max(t.length, n.length)));
    if (Math.abs(t.length - n.length) > limit) continue;
    const d = levenshtein(t, n);
    if (d <= limit) scored.push({ p, d });
  }
  return scored
    .sort((a, b) => a.d - b.d || (a.p < b.p ? -1 : 1))
    .filter((s, i, all) => all.findIndex((o) => o.p === s.p) === i)
    .slice(0, max)
    .map((s) => s.p);
}

function normalizeText(text: string): string {
  return text
    .replace(/"[^"]*"/g, '{}')
    .replace(/(?<![\w.])(?:0[xX][0-9a-fA-F]+|[0-9a-fA-F]{2}\.[0-9a-fA-F]{4}|\d+)(?:(?:\s*,\s*|\s+and\s+)(?:0[xX][0-9a-fA-F]+|[0-9a-fA-F]{2}\.[0-9a-fA-F]{4}|\d+))*(?![\w.])/g, '{}')
    .replace(/\bE[A-Z]{2,}\b/g, '{}')
    .toLowerCase()
    .trim();
}

function normalizePhrase(expression: string): string {
  return expression
    .replace(/\\(.)/g, '$1')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\(([^)]*)\)/g, '$1')
    .replace(/(\S+)\/\S+/g, '$1')
    .toLowerCase()
    .trim();
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** A line as quoted in a message: at most 120 characters. */
function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
