/**
 * Step matching on V8's native RegExp match indices instead of the `regexp-match-indices` polyfill.
 *
 * Why: cucumber-expressions' TreeRegexp needs the start/end of every capture group, and gets them
 * from the `regexp-match-indices` polyfill (written before the `d` flag existed). The polyfill's
 * feature test runs a regexp *without* `d`, so it never sees `indices` and always takes its slow
 * path: for every successful step match it re-parses or re-compiles a "measurement" regexp
 * (regexp-tree's `toRegExp()` builds a new RegExp on every call) and rebuilds the indices in JS.
 * Measured on a 1,000-scenario trivial suite that was about a quarter of cucumber's per-scenario
 * cost. Node >= 16 has the `d` flag (hasIndices), which returns the same indices natively.
 *
 * How: `TreeRegexp.prototype.match` is replaced by the same three lines run on a `d`-flagged copy of
 * the regexp (cached per regexp). Replacing the method, rather than pre-seeding `require.cache`
 * with a fake `regexp-match-indices`, works whatever the load order: cucumber's CLI and API load
 * cucumber-expressions before they run `requireModule` (cucumber.js), where this file is listed.
 *
 * Safety: at load the patched `match` is compared with the original on a probe expression
 * (optional and nested groups); if this cucumber-expressions version is shaped differently, the
 * original is kept and nothing changes. src/perf/regexp-match-indices-shim.test.ts compares native
 * indices with the polyfill on every step expression and step text of this project.
 *
 * Switch it off with APSPEC_NO_SHIM=1 (the benchmark measures both ways: `npm run bench`).
 */
import { INSTALLED, ORIGINAL, loadTreeRegexp, type TreeRegexpLike } from './tree-regexp';

const withIndices = new WeakMap<RegExp, RegExp>();

/** `regexp.exec(s)` with `indices`, as the `d` flag gives them natively (V8, Node >= 16). */
export function execWithIndices(regexp: RegExp, s: string): RegExpExecArray | null {
  let d = withIndices.get(regexp);
  if (!d) {
    d = regexp.hasIndices ? regexp : new RegExp(regexp.source, `${regexp.flags}d`);
    withIndices.set(regexp, d);
  }
  if (d === regexp) return regexp.exec(s);
  d.lastIndex = regexp.lastIndex; // matters only for g/y regexps; cucumber's have neither
  const m = d.exec(s);
  regexp.lastIndex = d.lastIndex;
  return m;
}

function nativeMatch(this: TreeRegexpLike, s: string): unknown {
  const match = execWithIndices(this.regexp, s);
  if (!match) return null;
  let groupIndex = 0;
  return this.groupBuilder.build(match, () => groupIndex++);
}

export type ShimState = 'installed' | 'disabled' | 'incompatible';

/** Install once per process; returns what happened. `env` decides APSPEC_NO_SHIM. */
export function installShim(env: Record<string, string | undefined> = process.env): ShimState {
  if (env.APSPEC_NO_SHIM === '1') return 'disabled';
  const TreeRegexp = loadTreeRegexp();
  const proto = TreeRegexp.prototype as TreeRegexpLike & { [INSTALLED]?: true; [ORIGINAL]?: TreeRegexpLike['match'] };
  if (proto[INSTALLED]) return 'installed';
  const original = proto.match;
  const probe = new TreeRegexp(/^a (\d+)(?: or (\d+))?(?:x(y(z)?))? "([^"]*)"$/);
  try {
    for (const text of ['a 1 "q"', 'a 12 or 3xy "r s"', 'a 4xyz ""', 'no']) {
      if (JSON.stringify(original.call(probe, text)) !== JSON.stringify(nativeMatch.call(probe, text))) return 'incompatible';
    }
  } catch {
    return 'incompatible';
  }
  proto[ORIGINAL] = original;
  proto.match = nativeMatch;
  proto[INSTALLED] = true;
  return 'installed';
}

export const state = installShim();
if (state === 'incompatible')
  process.stderr.write('apspec: src/perf/regexp-match-indices-shim.ts: this cucumber-expressions differs from the one it was written for; step matching keeps the polyfill\n');
