/**
 * The command table: name -> how to load it. Commands are loaded lazily so `npm start` does not
 * pay for the explorer, and so `explore`/`bench` can land later without touching main.ts.
 *
 * A plug-in command module (src/explore/cli.ts, src/bench/cli.ts) exports
 * `command: CliCommand`. Until it exists, its name prints "not yet available".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from '../common/command';
import { command as mergeCommand } from './merge-command';
import { command as runCommand } from './run-command';

// The contract a command implements lives in src/common/command.ts, so that a plug-in command
// (src/explore/cli.ts, src/bench/cli.ts) needs nothing from src/cli.
export type { CliCommand, CliEnvironment } from '../common/command';

export interface CommandEntry {
  readonly summary: string;
  /** Where a plug-in command lives, relative to this folder; built-in commands have `command`. */
  readonly specifier?: string;
  readonly command?: CliCommand;
}

export const COMMANDS = {
  run: { command: runCommand, summary: 'run every feature under every policy and write the report (default)' },
  merge: { command: mergeCommand, summary: 'merge the policy-matrix.json of several shards into one report' },
  explore: { specifier: '../explore/cli', summary: 'search for counterexamples to the requirements (model-based)' },
  bench: { specifier: '../bench/cli', summary: 'time the simulator and the matrix' },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

/**
 * A command, loading a plug-in on first use; `undefined` while its module does not exist. The file
 * is looked up on disk first, so a plug-in that exists but fails to load (a syntax error, a missing
 * import of its own) is reported as the error it is, never as "not yet available".
 */
export async function loadCommand(name: CommandName): Promise<CliCommand | undefined> {
  const entry: CommandEntry = COMMANDS[name];
  if (entry.command) return entry.command;
  const specifier = entry.specifier!;
  const base = join(__dirname, specifier);
  if (![`${base}.ts`, `${base}.js`, join(base, 'index.ts')].some((f) => existsSync(f))) return undefined;
  // require, not import(): `node -r tsx/cjs` (npm run bench/explore) hooks only require(), and a
  // dynamic import() of an extensionless .ts path goes to Node's ESM loader and fails.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(base) as { command?: CliCommand };
  if (!mod.command || typeof mod.command.run !== 'function')
    throw new Error(`${entry.specifier} must export \`command: CliCommand\` (see src/cli/commands.ts).`);
  return mod.command;
}
