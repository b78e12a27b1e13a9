// Snippets for undefined steps, in the project's own style: `step(keyword, expression, doc, fn)`
// (steps/support/define.ts), so a pasted snippet already carries its catalogue entry.
// Plain CommonJS because Cucumber loads it by path from cucumber.js (formatOptions.snippetSyntax).
class ApspecSnippetSyntax {
  constructor(snippetInterface) {
    this.snippetInterface = snippetInterface;
  }

  build({ comment, generatedExpressions, functionName, stepParameterNames }) {
    const [first, ...others] = generatedExpressions;
    const params = ['this: ApWorld', ...first.parameterNames.map((n) => `${n}: unknown`), ...stepParameterNames.map((n) => `${n}: string`)];
    const alternatives = others.map((e) => `// or: '${escape(e.source)}'\n`).join('');
    return (
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

module.exports = ApspecSnippetSyntax;
