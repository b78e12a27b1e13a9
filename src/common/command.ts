/**
 * What a command of apspec's command line is: `run` and `merge` (src/cli), and the plug-ins
 * `explore` and `bench`, which src/cli/commands.ts loads lazily. Here, in src/common, so that a
 * plug-in implements it without importing src/cli.
 */
import type { Writable } from 'node:stream';

export interface CliEnvironment {
  readonly cwd: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Record<string, string | undefined>;
  /** Aborted on the first Ctrl-C; commands stop at their next safe point. */
  readonly signal: AbortSignal;
}

export interface CliCommand {
  /** One line for `--help`. */
  readonly summary: string;
  /** Returns the exit code; throws UsageError for a user mistake. Never calls process.exit. */
  run(argv: readonly string[], env: CliEnvironment): Promise<number>;
}
