// Cucumber profiles (CommonJS: Node 20 cannot load a TypeScript config).
// `default` runs every feature under policy v11 (Linux 4.20 as merged); each policy has a profile
// named by its id (`npx cucumber-js -p v10-apie`); `ci` is what `npm test` runs.
// The policy ids are read from the registry table in src/policies/index.ts (its `['id', './file']`
// lines) rather than by loading the policies, so loading this file stays cheap and never fails
// because a policy file is broken; tests/profiles.test.ts checks the two agree.
// No `paths` here: cucumber's default (features/**/*.feature) applies, and a path on the command
// line (`npx cucumber-js features/thread/R3-...feature`) then runs just that file. Profile arrays are
// merged with command-line ones, so a `paths` entry here would always run everything.
const fs = require('node:fs');
const path = require('node:path');

const REGISTRY = path.join(__dirname, 'src/policies/index.ts');
const POLICY_IDS = [...fs.readFileSync(REGISTRY, 'utf8').matchAll(/^\s*\[\s*['"]([^'"]+)['"]\s*,\s*['"]\.\/[^'"]+['"]\s*\],?\s*(?:\/\/.*)?$/gm)].map((m) => m[1]);

// The TypeScript loader: tsx by default (the faster one on the edit-run loop, docs/performance.md);
// APSPEC_LOADER=ts-node loads the same steps through ts-node (transpile-only), the loader the
// project's design names. It applies to every profile, so it composes with -p <policy>.
const LOADERS = { tsx: 'tsx/cjs', 'ts-node': 'ts-node/register/transpile-only' };
const loaderName = process.env.APSPEC_LOADER || 'tsx';
if (!Object.prototype.hasOwnProperty.call(LOADERS, loaderName)) {
  process.stderr.write(`apspec: APSPEC_LOADER="${loaderName}" is not a TypeScript loader apspec supports: use tsx (the default) or ts-node.\n`);
  process.exit(2);
}

const common = {
  require: ['steps/**/*.ts'],
  // After the TypeScript loader: step matching on V8's native RegExp indices instead of a slow
  // polyfill (src/perf/regexp-match-indices-shim.ts says why; APSPEC_NO_SHIM=1 turns it off).
  // Absolute, because cucumber require()s these entries from its own folder.
  // The error-stack shim spares cucumber's error formatting a backtracking regexp on every failed
  // step's message (src/perf/error-stack-shim.ts says why).
  requireModule: [LOADERS[loaderName], path.join(__dirname, 'src/perf/regexp-match-indices-shim.ts'), path.join(__dirname, 'src/perf/error-stack-shim.ts')],
  format: ['progress'],
  // printAttachments: false keeps the console to the failing step's message (which already ends
  // with the tail of the trace); the full trace stays in the attachments the reports read.
  formatOptions: { snippetInterface: 'async-await', snippetSyntax: './steps/support/snippet-syntax.js', printAttachments: false },
  worldParameters: { policy: 'v11' },
  // `npx cucumber-js` only: a feature path that does not exist, or no scenarios at all, is an error
  // (exit 2) instead of a green "0 scenarios" (steps/support/run-guard.cjs).
  plugin: ['./steps/support/run-guard.cjs'],
};

const profiles = {
  default: { ...common },
  // `ci` (npm test): policy v11, every scenario except the @finding ones, which document defects
  // of Linux 4.20 that no policy fixes and so fail by design. `npm run test:acceptance` runs it on
  // features/thread under ts-node (the supported second loader, through cucumber's own CLI); every
  // feature under every policy, findings and later releases' behaviour included, is then judged cell
  // by cell against reports/expected-verdicts.json by the matrix run (`main.ts run --out reports/ci-matrix`):
  // scenarios that describe one release's behaviour fail under the others by design.
  ci: { ...common, format: ['summary'], tags: 'not @finding' },
};
for (const id of POLICY_IDS) profiles[id] = { ...common, worldParameters: { policy: id } };

// `npx cucumber-js --tags "@a and ("`: cucumber reports a tag expression that does not parse only from
// inside its pickle filter, as a stack. Say it first, with cucumber's own message (its parser).
if (/@cucumber[\\/]cucumber[\\/]bin[\\/]/.test(require.main?.filename ?? '')) {
  const argv = process.argv;
  const tags = argv.flatMap((a, i) => (a === '--tags' || a === '-t' ? [argv[i + 1]] : a.startsWith('--tags=') ? [a.slice(7)] : []));
  for (const t of tags) {
    if (t === undefined) continue;
    try {
      require('@cucumber/tag-expressions').default(t);
    } catch (err) {
      process.stderr.write(`apspec: --tags: ${err.message} Write a tag expression such as "@thread and not @wip" (tags start with @; and, or, not, parentheses).\n`);
      process.exit(2);
    }
  }
}

// `npx cucumber-js -p v12`: cucumber would throw "Requested profile "v12" doesn't exist" with a stack
// trace. Name the policies instead (only under cucumber's CLI; the API callers pass known profiles).
if (/@cucumber[\\/]cucumber[\\/]bin[\\/]/.test(require.main?.filename ?? '')) {
  const argv = process.argv;
  const requested = argv.flatMap((a, i) => (a === '-p' || a === '--profile' ? [argv[i + 1]] : a.startsWith('--profile=') ? [a.slice(10)] : []));
  const unknown = requested.filter((p) => p !== undefined && !Object.prototype.hasOwnProperty.call(profiles, p));
  if (unknown.length) {
    process.stderr.write(
      `apspec: unknown profile ${unknown.map((u) => `"${u}"`).join(', ')}. Each policy has a profile named by its id: ${POLICY_IDS.join(', ')}; ` +
        `the other profiles are default (policy v11) and ci. Run one policy with  npx cucumber-js -p v10 <feature>.\n`,
    );
    process.exit(2);
  }
}

module.exports = profiles;
