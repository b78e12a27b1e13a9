/**
 * `apspec merge <json...>`: combine the policy-matrix.json of several shards into one report.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { summaryText } from '../report/console';
import { UsageError } from '../runner/errors';
import { MatrixFormatError, parseMatrix } from '../report/matrix';
import { mergeMatrices } from '../report/merge';
import { DEFAULT_OUT_DIR, shownPath } from '../runner/run-matrix';
import { writeReport } from '../report/write-report';
import type { CliCommand } from './commands';
import { parse } from '../common/argv';

const USAGE = `Usage: npm start -- merge [--out <dir>] <shard policy-matrix.json...>
  Writes policy-matrix.json, policy-matrix.md and index.html for all shards into <dir> (default: reports).`;

export const command: CliCommand = {
  summary: 'merge shard reports',
  async run(argv, env) {
    const { values, positionals } = parse(argv, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
    if (values.help) {
      env.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!positionals.length) throw new UsageError(`merge needs at least one policy-matrix.json.\n\n${USAGE}`);
    const reports = [];
    for (const p of positionals) {
      const file = resolve(env.cwd, p);
      if (!existsSync(file)) throw new UsageError(`"${p}" does not exist. Give the policy-matrix.json each shard wrote.`);
      try {
        reports.push(parseMatrix(await readFile(file, 'utf8'), p));
      } catch (err) {
        if (err instanceof MatrixFormatError) throw new UsageError(err.message);
        throw err;
      }
    }
    const merged = mergeMatrices(reports);
    const outDir = resolve(env.cwd, values.out ?? DEFAULT_OUT_DIR);
    await writeReport({ report: merged, outDir });
    env.stdout.write(`Merged ${reports.length} report${reports.length === 1 ? '' : 's'}: ${merged.scenarios.length} scenarios × ${merged.policies.length} policies.\n`);
    env.stdout.write(summaryText(merged));
    env.stdout.write(`Report: ${shownPath(env.cwd, join(outDir, 'index.html'))}\n`);
    return 0;
  },
};
