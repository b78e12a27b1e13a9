// A cucumber plugin (cucumber.js `plugin`) that turns two silent `npx cucumber-js` outcomes into
// errors that teach: a feature path that does not exist, and a selection with no scenarios at all.
// Cucumber runs both as "0 scenarios", exit 0, which reads like success.
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

function fail(stderr, message) {
  stderr.write(`apspec: ${message}\n`);
  process.exit(2);
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
    on('paths:resolve', ({ unexpandedSourcePaths, sourcePaths }) => {
      requested = unexpandedSourcePaths;
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
      if (pickles.length > 0 || parseErrors || process.argv.some((a) => a === '--shard' || a.startsWith('--shard='))) return undefined;
      fail(
        stderr,
        `No scenarios to run: ${requested.join(', ') || 'the feature paths'} select nothing with the tags and names given (a profile may add tags, e.g. -p ci leaves out @finding). Check the paths, --tags and --name.`,
      );
      return undefined;
    });
  },
};
