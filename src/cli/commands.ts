/**
 * The command table: name -> how to load it. Commands are loaded lazily so `npm start` does not
 * pay for the explorer, and so `explore`/`bench` can land later without touching main.ts.
 *
 * A plug-in command module (src/explore/cli.ts, src/bench/cli.ts) exports
 * `command: CliCommand`. Until it exists, its name prints "not yet available".
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

export interface CommandEntry {
  readonly summary: string;
  /** The module specifier, relative to this file. */
  readonly specifier: string;
}

export const COMMANDS = {
  run: { specifier: './run-command', summary: 'run every feature under every policy and write the report (default)' },
  merge: { specifier: './merge-command', summary: 'merge the policy-matrix.json of several shards into one report' },
  explore: { specifier: '../explore/cli', summary: 'search for counterexamples to the requirements (model-based)' },
  bench: { specifier: '../bench/cli', summary: 'time the simulator and the matrix' },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

/**
 * Load a command's module; `undefined` when the module does not exist yet. A module that exists but
 * fails to load (a syntax error, a missing import of its own) is a real error and is rethrown.
 */
export function loadCommand(name: CommandName): CliCommand | undefined {
  const { specifier } = COMMANDS[name];
  let mod: { command?: CliCommand };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(specifier) as { command?: CliCommand };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e?.code === 'MODULE_NOT_FOUND' && e.message?.startsWith(`Cannot find module '${specifier}'`)) return undefined;
    throw err;
  }
  if (!mod.command || typeof mod.command.run !== 'function')
    throw new Error(`${specifier} must export \`command: CliCommand\` (see src/cli/commands.ts).`);
  return mod.command;
}
