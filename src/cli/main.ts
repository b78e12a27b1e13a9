/**
 * apspec's command line: the only module that reads process.argv, installs signal handlers or
 * exits. Everything else takes an injected environment and returns.
 *
 *   npm start                       run the policy matrix (command `run`)
 *   npm start -- merge a.json b.json
 *   npm run explore / npm run bench (plug-in commands; see commands.ts)
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { RunFailedError, UsageError } from '../runner/errors';
import { COMMANDS, isCommandName, loadCommand, type CliEnvironment, type CommandName } from './commands';

function usage(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  return `Usage: apspec [${names.join('|')}] [options]   (default: run; "<command> --help" for its options)\n${names
    .map((n) => `  ${n.padEnd(8)} ${COMMANDS[n].summary}`)
    .join('\n')}`;
}

export async function main(argv: readonly string[], env: CliEnvironment): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    env.stdout.write(`${usage()}\n`);
    return 0;
  }
  // `npm start` already passes `run`, so `npm start -- merge a.json b.json` arrives as
  // `run merge a.json b.json`: a command name right after `run` is that command.
  if (first === 'run' && rest[0] !== undefined && rest[0] !== 'run' && isCommandName(rest[0])) return main(rest, env);
  // No command, or an option/path first: it is `run`, so `npm start -- --policy v11` works.
  const name = first === undefined || !isCommandName(first) ? 'run' : first;
  const args = name === first ? rest : argv;
  // A bare word that is no command and no file is a mistyped command; anything path-like goes to
  // `run`, whose own check names the missing path.
  if (first !== undefined && name === 'run' && first !== 'run' && !first.startsWith('-') && !/[./\\:*]/.test(first) && !existsSync(resolve(env.cwd, first)))
    throw new UsageError(`Unknown command "${first}". ${usage()}`);
  const command = await loadCommand(name);
  if (!command) {
    const where = 'specifier' in COMMANDS[name] ? ` (${String(COMMANDS[name].specifier).replace(/^\.\.\//, 'src/')}.ts does not exist yet)` : '';
    env.stderr.write(`apspec ${name}: not yet available${where}.\n`);
    return 2;
  }
  return command.run(args, env);
}

/** `main` plus error reporting: what the process runs, and what tests call. */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  try {
    return await main(argv, env);
  } catch (err) {
    return report(err, env);
  }
}

/** One paragraph for the user; the stack only with APSPEC_DEBUG=1. */
function report(err: unknown, env: CliEnvironment): number {
  const debug = env.env.APSPEC_DEBUG === '1';
  // By name too: a plug-in command loaded through another module system (a test runner's) has its own copy of the class.
  if (err instanceof UsageError || (err instanceof Error && err.name === 'UsageError')) {
    env.stderr.write(`apspec: ${err.message}\n`);
    if (debug) env.stderr.write(`${err.stack}\n`);
    return 2;
  }
  const fsError = fileSystemParagraph(err);
  if (fsError) {
    env.stderr.write(`apspec: ${fsError}\n`);
    if (debug) env.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  const userMistake = err instanceof RunFailedError || isUserMistake(err);
  env.stderr.write(userMistake ? `apspec: ${message}\n` : `apspec: internal error: ${message}\n`);
  if (debug) env.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  else if (!userMistake) env.stderr.write('(set APSPEC_DEBUG=1 for the stack trace)\n');
  return 1;
}

/**
 * Errors whose message is already the paragraph a user needs (a corrupt verdicts file, --accept of
 * a cell that is no verdict, a policy file that does not load): matched by name so the CLI needs
 * no import of every layer that can throw one.
 */
const USER_MISTAKES = new Set(['VerdictsFormatError', 'UnrecordableVerdictsError', 'PolicyLoadError', 'PolicyRegistryError', 'FeatureCheckError']);

function isUserMistake(err: unknown): boolean {
  return err instanceof Error && USER_MISTAKES.has(err.name);
}

/**
 * process.stdout, except that a reader who closes it early (`npm start | head -1`) only stops the
 * console output: the run goes on, publishes its report and exits with its own code.
 */
function stdoutUntilClosed(): Writable {
  let closed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw err;
  });
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      if (closed) return done();
      process.stdout.write(chunk, () => done());
    },
  });
}

/** What a file-system error code means to someone who can fix it. */
const FS_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of that path is a file, not a directory',
  EISDIR: 'it is a directory',
  EIO: 'an input/output error',
  EMFILE: 'too many open files',
  // mkdir answers ENOENT where a directory cannot be made at all (/proc, /sys).
  ENOENT: 'no such file or directory, and none can be created there',
};

/**
 * A failed write or read of a file (a full disk while the report is written, a read-only or
 * unwritable output directory) as one paragraph naming the path, instead of "internal error".
 * Reports are staged and published in one step, so the previous one is still whole.
 */
function fileSystemParagraph(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!(err instanceof Error) || typeof e?.code !== 'string' || !(e.code in FS_REASONS)) return undefined;
  const path = (e as { dest?: string }).dest ?? e.path;
  return (
    `cannot ${e.syscall === 'read' || e.syscall === 'scandir' ? 'read' : 'write to'} ${path ?? 'a file'}: ${FS_REASONS[e.code]} (${e.code}). Nothing was published; the previous report, if any, is intact. ` +
    (e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'Free some space, or write elsewhere with --out <dir>.' : 'Make it writable, or write elsewhere with --out <dir>.')
  );
}

if (require.main === module) {
  const controller = new AbortController();
  const env: CliEnvironment = { cwd: process.cwd(), stdout: stdoutUntilClosed(), stderr: process.stderr, env: process.env, signal: controller.signal };
  // The runner's work happens on worker threads, so this thread always hears the signal and the
  // runner stops every worker at once, even one inside a policy that never returns.
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop now
    controller.abort();
    process.stderr.write(`\napspec: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; stopping without writing the report (Ctrl-C again to quit now)\n`);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  void runCli(process.argv.slice(2), env).then((code) => {
    process.exitCode = controller.signal.aborted && code === 0 ? 130 : code;
  });
}
