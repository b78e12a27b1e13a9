// Snippets for undefined steps, in the project's own style: `step(keyword, expression, doc, fn)`
// (steps/support/define.ts), so a pasted snippet already carries its catalogue entry.
// Above the snippet, as comments, the closest phrases of the vocabulary ("did you mean"), computed
// from CATALOGUE: an undefined step is most often a typo of an existing one. Because cucumber builds
// every snippet through this class, the hint reaches every formatter (progress, summary, pretty) and
// the `suggestion` messages npm start's report reads.
// Plain CommonJS because Cucumber loads it by path from cucumber.js (formatOptions.snippetSyntax).
const path = require('node:path');

/** How many phrases "did you mean" lists at most. */
const MAX_SUGGESTIONS = 3;

/**
 * The longest step text a snippet is generated from. Cucumber's CucumberExpressionGenerator
 * (@cucumber/cucumber-expressions) finds parameters with ParameterTypeMatcher.advanceTo, which for
 * every position from the cursor to the end slices the rest of the text and runs the parameter's
 * regexp on it again: cubic in the text's length, per parameter type. A 4,000-character undefined
 * step took 21 s and one of 1 MB never ended. No step of the vocabulary is longer than a line, so
 * the snippet of a longer one covers its first MAX_SNIPPET_TEXT characters and says so.
 */
const MAX_SNIPPET_TEXT = 240;

/**
 * How the project's value types are recognised *for snippets only*. Their step-matching regexps
 * (steps/support/parse.ts) are deliberately permissive (any token, so a wrong value gets a teaching
 * error instead of an undefined step) and so mark no parameter in a phrase; these say what a value
 * of each type looks like in a feature. Longer matches win (`2 and 3` is {ids}, not {id}); equal
 * ones are all offered, as "or:" lines.
 */
const HEX_OR_DECIMAL = '0[xX][0-9a-fA-F]+|[0-9]+';
const APQN_TEXT = '[0-9a-fA-F]{2}\\.[0-9a-fA-F]{4}';
const listOf = (token) => `(?:${token})(?:(?:\\s*,\\s*|\\s+and\\s+)(?:${token}))+`;
const SNIPPET_TYPES = {
  apqns: listOf(APQN_TEXT),
  apqn: APQN_TEXT,
  ids: listOf(HEX_OR_DECIMAL),
  id: HEX_OR_DECIMAL,
  errno: 'E[A-Z]{2,}',
  rc: '0[xX][0-9a-fA-F]{1,2}',
};

/**
 * Cucumber builds a snippet with the CucumberExpressionGenerator of the @cucumber/cucumber-expressions
 * it ships, over the registry's types with `useForSnippets` ({int}, {float}, {word}, {string}: our
 * types are registered with useForSnippets false, see above). Wrap that generator once: long texts are
 * cut to MAX_SNIPPET_TEXT, and the parameters are the project's ({id}, {apqn}, ... plus {string}) when
 * the loaded support code defines them.
 */
function patchGenerator() {
  let expressions;
  try {
    const cucumberDir = path.dirname(require.resolve('@cucumber/cucumber/package.json'));
    expressions = require(require.resolve('@cucumber/cucumber-expressions', { paths: [cucumberDir] }));
  } catch {
    return; // cucumber not resolvable from here: nothing to wrap
  }
  const { CucumberExpressionGenerator, ParameterType } = expressions;
  const proto = CucumberExpressionGenerator.prototype;
  if (proto.apspecPatched) return;
  const original = proto.generateExpressions;
  proto.apspecPatched = true;
  proto.generateExpressions = function (text) {
    const cut = text.length > MAX_SNIPPET_TEXT ? text.slice(0, MAX_SNIPPET_TEXT) : text;
    const registered = [...this.parameterTypes()];
    const names = new Set(registered.map((t) => t.name));
    let generator = this;
    if (Object.keys(SNIPPET_TYPES).every((n) => names.has(n))) {
      const ours = Object.entries(SNIPPET_TYPES).map(([name, regexp]) => new ParameterType(name, new RegExp(regexp), null, (x) => x, true, false));
      const string = registered.filter((t) => t.name === 'string');
      generator = Object.create(this, { parameterTypes: { value: () => [...string, ...ours] } });
    }
    const generated = original.call(generator, cut);
    if (cut !== text) generated.truncatedFrom = text.length;
    return generated;
  };
}
patchGenerator();

class ApspecSnippetSyntax {
  constructor(snippetInterface) {
    this.snippetInterface = snippetInterface;
  }

  build({ comment, generatedExpressions, functionName, stepParameterNames }) {
    const [first, ...others] = generatedExpressions;
    const params = ['this: ApWorld', ...first.parameterNames.map((n) => `${n}: unknown`), ...stepParameterNames.map((n) => `${n}: string`)];
    const alternatives = others.map((e) => `// or: '${escape(e.source)}'\n`).join('');
    const truncated = generatedExpressions.truncatedFrom
      ? `// This step is ${generatedExpressions.truncatedFrom} characters long; the snippet covers its first ${MAX_SNIPPET_TEXT}. A step is one line of the vocabulary: did a doc string or table lose its delimiters?\n`
      : '';
    return (
      truncated +
      didYouMean(first.source, functionName) +
      alternatives +
      `step(\n  '${functionName}',\n  '${escape(first.source)}',\n` +
      `  { meaning: 'TODO: what it means in kernel terms', example: 'TODO: ${functionName} ...' },\n` +
      `  function (${params.join(', ')}) {\n    // ${comment}\n    return 'pending';\n  },\n);`
    );
  }
}

function escape(source) {
  return source.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/** The step catalogue of the loaded step definitions; empty when they are not loaded (or not loadable). */
function catalogue() {
  try {
    // Same module instance as the step files use (require cache), so it is already filled.
    return require(path.join(__dirname, 'define.ts')).CATALOGUE || [];
  } catch {
    return [];
  }
}

/**
 * Comment lines naming the closest catalogue phrases to `source` (a cucumber expression generated
 * from the undefined step's text), or '' when none is close.
 */
function didYouMean(source, keyword) {
  const entries = suggest(source, keyword, catalogue());
  if (!entries.length) return '';
  const width = Math.max(...entries.map((e) => e.keyword.length + 1 + e.expression.length));
  const lines = entries.map((e) => {
    const phrase = `${e.keyword} ${e.expression}`;
    return `//   ${phrase}${e.example.split('\n')[0] !== phrase ? `${' '.repeat(width - phrase.length)}   e.g. ${e.example.split('\n')[0]}` : ''}`;
  });
  return `// Did you mean one of these steps of the vocabulary (docs/steps.md)?\n${lines.join('\n')}\n// If not, add a step (steps/*.steps.ts):\n`;
}

/**
 * The catalogue entries closest to `source`: character edit distance between the two phrases with
 * every parameter written `{}` and alternatives/optional text reduced to their plain words, ties
 * broken by preferring the same keyword. Only entries within 40% of the phrase's length qualify.
 */
function suggest(source, keyword, entries) {
  const text = normalize(source);
  const best = new Map();
  for (const e of entries) {
    const candidate = normalize(e.expression);
    // The distance is at least the difference in length: skip the quadratic comparison when that
    // alone is over the limit (a very long undefined step is then compared with nothing).
    if (Math.abs(text.length - candidate.length) > Math.max(4, Math.ceil(0.4 * Math.max(text.length, candidate.length)))) continue;
    const distance = levenshtein(text, candidate) + (e.keyword === keyword ? 0 : 0.5);
    const limit = Math.max(4, Math.ceil(0.4 * Math.max(text.length, candidate.length)));
    if (distance > limit) continue;
    const previous = best.get(e.expression);
    if (!previous || distance < previous.distance) best.set(e.expression, { ...e, distance });
  }
  return [...best.values()].sort((a, b) => a.distance - b.distance || (a.expression < b.expression ? -1 : 1)).slice(0, MAX_SUGGESTIONS);
}

/** `the administrator assigns {matrix_kind} {id}` -> `the administrator assigns {} {}`. */
function normalize(expression) {
  return expression
    .replace(/\\(.)/g, '$1')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/"[^"]*"/g, '{}')
    .replace(/\(([^)]*)\)/g, '$1')
    .replace(/(\S+)\/\S+/g, '$1')
    .toLowerCase()
    .trim();
}

function levenshtein(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

module.exports = ApspecSnippetSyntax;
module.exports.suggest = suggest;
