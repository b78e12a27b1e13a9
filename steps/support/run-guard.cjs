// A cucumber plugin (cucumber.js `plugin`) that turns silent `npx cucumber-js` outcomes into
// errors that teach: a feature path that does not exist, a selection with no scenarios at all
// (cucumber runs both as "0 scenarios", exit 0, which reads like success), and what the feature check
// (src/lint/check-features.ts) finds before any scenario runs: a misspelled keyword that turned a
// scenario or step into description text, two scenarios with one name, a step outside the vocabulary.
//
// It acts only when the process is cucumber's own CLI: there it prints one paragraph and exits 2
// (as `npm start` does for the same mistakes) before any scenario runs. Under the API (npm start's
// runMatrix, tests) it does nothing: runMatrix checks paths and empty selections itself, and an
// empty shard is legitimate there. Plain CommonJS because cucumber import()s plugins by path.
const { existsSync } = require('node:fs');
const path = require('node:path');

/** True when this process is `cucumber-js` (node_modules/@cucumber/cucumber/bin/cucumber.js). */
function isCucumberCli() {
  const main = require.main?.filename ?? process.argv[1] ?? '';
  return /@cucumber[\\/]cucumber[\\/]bin[\\/]/.test(main) || /[\\/]cucumber-js$/.test(process.argv[1] ?? '');
}

function fail(stderr, message, code = 2) {
  stderr.write(`apspec: ${message}\n`);
  process.exit(code);
}

/**
 * The loaded step definitions, as the feature check's vocabulary. Called once support code is loaded
 * (cucumber loads it before the pickles transform): the step files registered their definitions with
 * the same supportCodeLibraryBuilder this require finds, and the builder keeps them after finalize.
 * Their expressions are rebuilt against its parameter type registry with cucumber's own
 * @cucumber/cucumber-expressions.
 */
function loadedVocabulary(cwd, check) {
  const cucumberDir = path.dirname(require.resolve('@cucumber/cucumber/package.json', { paths: [cwd] }));
  const { supportCodeLibraryBuilder } = require(cucumberDir);
  const { ExpressionFactory } = require(require.resolve('@cucumber/cucumber-expressions', { paths: [cucumberDir] }));
  const registry = supportCodeLibraryBuilder.parameterTypeRegistry;
  const configs = supportCodeLibraryBuilder.stepDefinitionConfigs;
  if (!registry || !Array.isArray(configs)) return undefined;
  const factory = new ExpressionFactory(registry);
  const definitions = configs.map((c) => {
    const expression = factory.createExpression(c.pattern);
    return { keyword: c.keyword, pattern: c.pattern, matchesStepName: (text) => expression.match(text) != null };
  });
  return check.vocabularyOf(definitions);
}

/**
 * The policy this run selected (world parameter `policy`: the profiles' and --world-parameters'),
 * or undefined when none is named (the world's default applies).
 */
function selectedPolicy(cwd) {
  const argv = process.argv;
  let policy;
  try {
    const profiles = require(path.join(cwd, 'cucumber.js'));
    const names = argv.flatMap((a, i) => (a === '-p' || a === '--profile' ? [argv[i + 1]] : a.startsWith('--profile=') ? [a.slice(10)] : []));
    for (const name of names.length ? names : ['default']) policy = profiles[name]?.worldParameters?.policy ?? policy;
  } catch {
    // not this project's cucumber.js: leave it to the world
  }
  argv.forEach((a, i) => {
    const json = a === '--world-parameters' ? argv[i + 1] : a.startsWith('--world-parameters=') ? a.slice(19) : undefined;
    if (json === undefined) return;
    try {
      policy = JSON.parse(json).policy ?? policy;
    } catch {
      // cucumber reports malformed JSON itself
    }
  });
  return policy;
}

/**
 * A selected policy whose file does not load (src/policies/index.ts records it with the file and the
 * first line of the error) stops the run with that one paragraph, instead of one per scenario.
 */
function checkSelectedPolicy(cwd, stderr) {
  const id = selectedPolicy(cwd);
  if (typeof id !== 'string') return;
  let registry;
  try {
    registry = require(path.join(__dirname, '../../src/policies/index.ts'));
  } catch {
    return;
  }
  if (!registry.isPolicyId(id)) return; // the world names the known ones
  try {
    registry.getPolicy(id);
  } catch (err) {
    fail(stderr, `policy "${id}" cannot be used: ${err.message}`, 1);
  }
}

/** The feature check over the files cucumber found, limited to the selected scenarios for steps. */
function checkFeatureFiles(cwd, sourcePaths, pickles, stderr) {
  let check;
  try {
    // TypeScript: the loader (tsx or ts-node, cucumber.js requireModule) is registered by now.
    check = require(path.join(__dirname, '../../src/lint/check-features.ts'));
  } catch (err) {
    if (process.env.APSPEC_DEBUG === '1') stderr.write(`apspec: feature check not loaded: ${err.stack}\n`);
    return;
  }
  let vocabulary;
  try {
    vocabulary = loadedVocabulary(cwd, check);
  } catch (err) {
    if (process.env.APSPEC_DEBUG === '1') stderr.write(`apspec: step vocabulary not read: ${err.stack}\n`);
  }
  // Cucumber's filterable pickles: { pickle, location (the scenario's or example row's line), gherkinDocument }.
  const selected = new Set(pickles.map((p) => `${path.resolve(cwd, p.pickle.uri)}:${p.location?.line}`));
  const problems = check.checkFeatures(sourcePaths, cwd, vocabulary, selected);
  const drops = problems.filter((p) => p.kind === 'silent-drop');
  // What Gherkin silently dropped stops the run; a step outside the vocabulary is said now, and the
  // run goes on so that cucumber prints its snippet (an undefined step fails the run).
  if (drops.length) fail(stderr, check.featureProblemsText(drops), 1);
  if (problems.length) stderr.write(`apspec: ${check.featureProblemsText(problems)}\n`);
}

module.exports = {
  type: 'plugin',
  coordinator({ on, transform, environment, operation }) {
    if (operation !== 'runCucumber' || !isCucumberCli()) return;
    const { cwd, stderr } = environment;
    let requested = [];
    let parseErrors = false;
    // A feature that does not parse yields no pickles; cucumber reports it itself, after the transform.
    on('message', (envelope) => {
      if (envelope.parseError) parseErrors = true;
    });
    let featureFiles = [];
    on('paths:resolve', ({ unexpandedSourcePaths, sourcePaths }) => {
      requested = unexpandedSourcePaths;
      featureFiles = sourcePaths;
      for (const p of unexpandedSourcePaths) {
        const file = p.replace(/(:\d+)+$/, '');
        if (/[*?{[]/.test(file)) continue; // a glob matching nothing is reported below
        if (!existsSync(path.resolve(cwd, file)))
          fail(stderr, `Feature path "${p}" does not exist (relative to ${cwd}). Give a .feature file or a directory, optionally with :line.`);
      }
      // Cucumber skips parsing (and the transform below) when no file was found.
      if (sourcePaths.length === 0)
        fail(stderr, `No scenarios to run: no .feature file in ${unexpandedSourcePaths.join(', ')}. Give a .feature file or a directory that holds some.`);
    });
    // Last in line, so it sees the pickles after cucumber's own filters (tags, names, lines).
    transform('pickles:order', (pickles) => {
      checkSelectedPolicy(cwd, stderr);
      if (!parseErrors && process.env.APSPEC_NO_FEATURE_CHECK !== '1') checkFeatureFiles(cwd, featureFiles, pickles, stderr);
      if (pickles.length > 0 || parseErrors || process.argv.some((a) => a === '--shard' || a.startsWith('--shard='))) return undefined;
      fail(
        stderr,
        `No scenarios to run: ${requested.join(', ') || 'the feature paths'} select nothing with the tags and names given (a profile may add tags, e.g. -p ci leaves out @finding). Check the paths, --tags and --name.`,
      );
      return undefined;
    });
  },
};
