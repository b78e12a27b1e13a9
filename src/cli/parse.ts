/**
 * argv -> options with node:util's parseArgs, turning its TypeErrors into UsageErrors so a typo
 * gets one clear paragraph instead of a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../report/errors';

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${message.replace(/\. To specify a positional argument.*$/s, '.')}\n\n${usage}`);
  }
}
