/**
 * `npm run bench` (command `bench` in src/cli/commands.ts): parse options, run the benchmark,
 * print the table, write reports/bench.json. A script, not a test: nothing here asserts a time.
 */
import { resolve } from 'node:path';
import type { CliCommand } from '../common/command';
import { listOption, numberOption, parse } from '../common/argv';
import { UsageError } from '../runner/errors';
import { formatReport, ROW_GROUPS, runBench, writeBenchJson, type RowGroup } from './run-bench';

const USAGE = `Usage: npm run bench -- [options]
  --runs <n>      timed runs per measurement (default 5)
  --warmup <n>    untimed warm-up runs before them (default 1)
  --depth <n>     explorer search depth (default 6)
  --only <a,b>    only these groups: ${ROW_GROUPS.join(', ')}
  --out <file>    JSON results (default reports/bench.json)`;

const count = (name: string, v: string | undefined, dflt: number, min: number): number =>
  numberOption(name, v, { min, integer: true }, USAGE) ?? dflt;

export const command: CliCommand = {
  summary: 'time apspec against a trivial-step floor and plain cucumber-js',
  async run(argv, env) {
    const { values } = parse(
      argv,
      {
        runs: { type: 'string' },
        warmup: { type: 'string' },
        depth: { type: 'string' },
        only: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      USAGE,
    );
    if (values.help) {
      env.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const only = listOption(values.only);
    const unknown = only?.filter((g) => !(ROW_GROUPS as readonly string[]).includes(g)) ?? [];
    if (unknown.length) throw new UsageError(`--only: unknown group ${unknown.join(', ')}.\n\n${USAGE}`);
    const out = resolve(env.cwd, values.out ?? 'reports/bench.json');
    const report = await runBench(
      {
        runs: count('runs', values.runs, 5, 1),
        warmup: count('warmup', values.warmup, 1, 0),
        depth: count('depth', values.depth, 6, 1),
        ...(only?.length ? { only: only as RowGroup[] } : {}),
        out,
        signal: env.signal,
      },
      env,
    );
    env.stdout.write(formatReport(report));
    await writeBenchJson(report, out);
    env.stdout.write(`\nWrote ${values.out ?? 'reports/bench.json'}\n`);
    return 0;
  },
};
