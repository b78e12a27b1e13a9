/**
 * Command-line options of every command (run, merge, explore, bench), in src/common so that a plug-in
 * command needs nothing from src/cli. argv -> options with node:util's parseArgs, turning its TypeErrors into UsageErrors so a typo
 * gets one clear paragraph instead of a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${message.replace(/\. To specify a positional argument.*$/s, '.')}\n\n${usage}`);
  }
}

/** `--policy a, b` -> ['a', 'b'] (undefined when the option is absent). */
export function listOption(value: string | undefined): string[] | undefined {
  return value?.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * A numeric option: absent -> undefined; otherwise a number that is at least `min` (and an integer
 * when `integer`), or a UsageError naming the option, the value and the usage.
 */
export function numberOption(name: string, value: string | undefined, rule: { min: number; integer: boolean }, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  // An integer option takes plain decimal digits only: `5.0`, `1e3`, `0x10` and `2.5` are refused
  // rather than silently rounded or read in another base, so the command line says what ran.
  const ok = rule.integer ? /^-?[0-9]+$/.test(value.trim()) && Number.isSafeInteger(n) : value.trim() !== '' && Number.isFinite(n);
  if (!ok || n < rule.min)
    throw new UsageError(`--${name} must be ${rule.integer ? 'a whole number (digits only, no fraction)' : 'a number'} >= ${rule.min}, not "${value}".\n\n${usage}`);
  return n;
}
