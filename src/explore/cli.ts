/**
 * `npm run explore -- [--depth N] [--policy a,b] [--invariant name] [--seed S] [--time-limit s] [--random] [--runs N] [--out dir]`
 */
import { resolve } from 'node:path';
import type { CliCommand } from '../common/command';
import { listOption, numberOption, parse } from '../common/argv';
import { UsageError } from '../common/errors';
import { DEFAULT_DEPTH, DEFAULT_RANDOM_DEPTH, DEFAULT_RUNS, DEFAULT_SEED, explore, summaryTable } from './explore';
import { INVARIANTS } from './invariants';

export const EXPLORE_USAGE = `Usage: npm run explore -- [options]
  --depth N          breadth-first: longest sequence after the world (default ${DEFAULT_DEPTH});
                     --random: most steps in one run, preamble included (default ${DEFAULT_RANDOM_DEPTH})
  --policy a,b       policies to search (default: all)
  --invariant a,b    invariants to check (default: all): ${INVARIANTS.map((i) => i.name).join(', ')}
  --seed S           seed for --random, recorded in every emitted feature (default ${DEFAULT_SEED});
                     the same seed, --runs and --depth give the same counterexamples
  --time-limit s     stop each policy's search after s seconds (--random: shared by its invariants,
                     shrinking included; a cut search is no longer reproducible by seed alone)
  --random           fast-check model-based runs instead of BFS: a preamble builds a plausible world,
                     fc.commands draws weighted commands, fc.modelRun runs them, failures are shrunk
  --runs N           runs per invariant with --random (default ${DEFAULT_RUNS})
  --out dir          where <policy>/<invariant>.feature go (default reports/counterexamples)`;

/** A count (--depth, --runs, --seed): a fraction is refused, not rounded, so the command line reproduces the search. */
const int = (name: string, v: string | undefined): number | undefined => numberOption(name, v, { min: 0, integer: true }, EXPLORE_USAGE);
/** Seconds may be fractional. */
const seconds = (name: string, v: string | undefined): number | undefined => numberOption(name, v, { min: 0, integer: false }, EXPLORE_USAGE);
const list = listOption;

export const command: CliCommand = {
  summary: 'search for counterexamples to the requirements (model-based)',
  async run(argv, env) {
    const { values } = parse(
      argv,
      {
        depth: { type: 'string' },
        policy: { type: 'string' },
        invariant: { type: 'string' },
        seed: { type: 'string' },
        'time-limit': { type: 'string' },
        random: { type: 'boolean' },
        runs: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      EXPLORE_USAGE,
    );
    if (values.help) {
      env.stdout.write(`${EXPLORE_USAGE}\n`);
      return 0;
    }
    const timeLimit = seconds('time-limit', values['time-limit']);
    const depth = int('depth', values.depth);
    const seed = int('seed', values.seed);
    const runs = int('runs', values.runs);
    let summary;
    try {
      summary = await explore(
        {
          ...(list(values.policy) ? { policies: list(values.policy)! } : {}),
          ...(list(values.invariant) ? { invariants: list(values.invariant)! } : {}),
          ...(depth !== undefined ? { depth } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(timeLimit !== undefined ? { timeLimitMs: timeLimit * 1000 } : {}),
          ...(runs !== undefined ? { numRuns: runs } : {}),
          random: values.random ?? false,
          outDir: resolve(env.cwd, values.out ?? 'reports/counterexamples'),
          signal: env.signal,
        },
        env,
      );
    } catch (err) {
      if (err instanceof Error && /^unknown (policy|invariant)/.test(err.message)) throw new UsageError(err.message);
      throw err;
    }
    env.stdout.write(`${summaryTable(summary)}\n`);
    for (const f of summary.found) env.stdout.write(`wrote ${f.file} (${f.steps} steps; passes under ${f.verdicts.passesUnder.join(', ') || 'none'})\n`);
    env.stdout.write(`seed ${summary.seed}\n`);
    return 0;
  },
};
