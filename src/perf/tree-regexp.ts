/**
 * Where cucumber-expressions' TreeRegexp lives, and whether the regexp shim patched it. No side
 * effects: the benchmark reads the state without installing anything.
 */
import { dirname, join } from 'node:path';

/** The parts of cucumber-expressions' TreeRegexp the shim relies on. */
export interface TreeRegexpLike {
  readonly regexp: RegExp;
  readonly groupBuilder: { build(match: RegExpExecArray, nextGroupIndex: () => number): unknown };
  match(s: string): unknown;
}
export type TreeRegexpClass = { new (regexp: RegExp | string): TreeRegexpLike; prototype: TreeRegexpLike };

/** Marks TreeRegexp.prototype once the shim replaced `match`. */
export const INSTALLED = Symbol.for('apspec.regexp-match-indices-shim');
/** The original `match`, kept on the prototype so the benchmark can alternate both in one process. */
export const ORIGINAL = Symbol.for('apspec.regexp-match-indices-shim.original');

/** cucumber-expressions' TreeRegexp, resolved from the @cucumber/cucumber that runs the steps. */
export function loadTreeRegexp(): TreeRegexpClass {
  const cucumber = require.resolve('@cucumber/cucumber');
  const expressions = require.resolve('@cucumber/cucumber-expressions', { paths: [dirname(cucumber)] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(dirname(expressions), 'TreeRegexp.js')) as { default: TreeRegexpClass }).default;
}

export function shimState(): 'installed' | 'not installed' {
  return (loadTreeRegexp().prototype as { [INSTALLED]?: true })[INSTALLED] ? 'installed' : 'not installed';
}
