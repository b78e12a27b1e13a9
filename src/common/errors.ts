/**
 * Errors the CLI turns into one paragraph and an exit code, without a stack trace.
 * The runner, the report and the commands (run, merge, explore, bench) throw them; only
 * src/cli/main.ts decides how to exit. In src/common so that every side may import them.
 */

/** The user asked for something impossible (unknown policy, missing path, nothing to run): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The run itself failed (parse errors, a crashing BeforeAll): exit 1, the previous report is kept. */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
}
