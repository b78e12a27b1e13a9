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

class ApspecSnippetSyntax {
  constructor(snippetInterface) {
    this.snippetInterface = snippetInterface;
  }

  build({ comment, generatedExpressions, functionName, stepParameterNames }) {
    const [first, ...others] = generatedExpressions;
    const params = ['this: ApWorld', ...first.parameterNames.map((n) => `${n}: unknown`), ...stepParameterNames.map((n) => `${n}: string`)];
    const alternatives = others.map((e) => `// or: '${escape(e.source)}'\n`).join('');
    return (
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
