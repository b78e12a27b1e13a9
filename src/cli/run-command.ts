/**
 * `apspec run` (the default command): parse the options and hand them to runMatrix.
 */
import { join } from 'node:path';
import { UsageError } from '../runner/errors';
import { findProblems, problemsText } from '../report/problems';
import { renderText } from '../report/text';
import { DEFAULT_TIMEOUT_MS, runMatrix, shownPath } from '../runner/run-matrix';
import type { CliCommand } from './commands';
import { listOption, numberOption, parse } from '../common/argv';
import { checkTagExpression } from '../common/tags';

const MAIN = join(__dirname, 'main.ts');

export const RUN_USAGE = `Usage: npm start -- [run] [options] [feature paths...]
  --policy a,b       run only these policies (default: all)
  --tags <expr>      cucumber tag expression, e.g. "@thread and not @wip"
  --shard i/n        run the i-th of n slices of the scenarios (merge them with "merge")
  --accept           record this run's verdicts in reports/expected-verdicts.json
  --html             also write cucumber's own HTML report per policy
  --out <dir>        output directory (default: reports; reports/partial when --policy,
                     --tags, --shard or feature paths select part of the suite)
  --verdicts <file>  expected verdicts to judge against (default: reports/expected-verdicts.json)
  --jobs <n>         policies run at once, one worker thread each (default: the CPU count)
  --format text      print the report as plain text (policy-matrix.txt) on stdout, for a
                     reply on a mailing list; the progress and summary go to stderr
  --timeout-ms <n>   time budget of one scenario, its steps and policy decisions included
                     (default ${DEFAULT_TIMEOUT_MS}); a scenario over it fails as "timed out" at its step`;

/**
 * Exit codes: 0 verdicts as expected, 1 a verdict changed, a feature or policy is broken (undefined,
 * ambiguous or pending step, "step error", "policy error") or the run failed, 2 usage, 130 interrupted.
 */
export const command: CliCommand = {
  summary: 'run every feature under every policy and write the report',
  async run(argv, env) {
    const { values, positionals } = parse(
      argv,
      {
        policy: { type: 'string' },
        tags: { type: 'string' },
        shard: { type: 'string' },
        accept: { type: 'boolean' },
        html: { type: 'boolean' },
        out: { type: 'string' },
        verdicts: { type: 'string' },
        jobs: { type: 'string' },
        'timeout-ms': { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      RUN_USAGE,
    );
    if (values.help) {
      env.stdout.write(`${RUN_USAGE}\n`);
      return 0;
    }
    if (values.tags !== undefined) checkTagExpression(values.tags);
    const policies = listOption(values.policy);
    if (values.policy !== undefined && !policies?.length) throw new UsageError(`--policy needs at least one policy id.\n\n${RUN_USAGE}`);
    const jobs = numberOption('jobs', values.jobs, { min: 1, integer: true }, RUN_USAGE);
    const timeoutMs = numberOption('timeout-ms', values['timeout-ms'], { min: 1, integer: true }, RUN_USAGE);
    // --format text: stdout carries only the text report (pipe it into a mail); the rest goes to stderr.
    if (values.format !== undefined && values.format !== 'text')
      throw new UsageError(`--format "${values.format}" is not a format: the only one is "text" (the report as plain text on stdout).\n\n${RUN_USAGE}`);
    const textOnly = values.format === 'text';
    const console = textOnly ? { ...env, stdout: env.stderr } : env;
    const result = await runMatrix(
      {
        ...(policies ? { policies } : {}),
        ...(values.tags ? { tags: values.tags } : {}),
        ...(values.shard ? { shard: values.shard } : {}),
        ...(positionals.length ? { paths: positionals } : {}),
        ...(values.out ? { outDir: values.out } : {}),
        ...(values.verdicts ? { verdictsPath: values.verdicts } : {}),
        ...(jobs !== undefined ? { jobs } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        // `npm start` is one run per process: the workers' memory is released before the report is
        // assembled. Called in-process (tests), the loaded workers are kept for the next call.
        keepWorkers: require.main?.filename !== MAIN,
        accept: values.accept ?? false,
        html: values.html ?? false,
        signal: env.signal,
      },
      console,
    );
    if (result.status === 'interrupted') {
      env.stderr.write(`Interrupted after ${result.completedPolicies.length} polic${result.completedPolicies.length === 1 ? 'y' : 'ies'}; the workers were stopped, nothing was written, the previous report is intact.\n`);
      return 130;
    }
    // Explain on the console what needs a look: broken features or policies, and verdicts that are
    // new or changed (what was expected, what the simulated kernel did, the tail of the trace).
    const problems = findProblems(result.report, result.differences);
    console.stdout.write(problemsText(problems, shownPath(env.cwd, `${result.outDir}/index.html`)));
    // A scenario stopped by its time budget is never a verdict to accept: name it and fail.
    if (result.timedOut.length) {
      console.stdout.write(
        `\n${result.timedOut.length} scenario${result.timedOut.length === 1 ? '' : 's'} ran out of time (${timeoutMs ?? DEFAULT_TIMEOUT_MS} ms each; --timeout-ms changes it) and ${result.timedOut.length === 1 ? 'was' : 'were'} stopped:\n` +
          result.timedOut.map((t) => `  ${t.uri}:${t.line} "${t.scenario}" under ${t.policy}, in step "${t.step}"\n`).join(''),
      );
    }
    if (textOnly) env.stdout.write(renderText(result.report));
    // A changed verdict fails, and so does a broken feature or policy (no verdict can accept those).
    // New scenarios (no expectation yet) and removed ones are listed for the reviewer, who records
    // them with --accept.
    return result.differences.some((d) => d.kind === 'changed') || problems.some((p) => p.kind === 'authoring') || result.timedOut.length ? 1 : 0;
  },
};
