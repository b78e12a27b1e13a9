/**
 * Deep validation of a policy-matrix.json read back from disk (`merge` input is untrusted: a shard
 * from another checkout, an edited file, a crafted one). Every field every renderer reads is checked
 * for its type, so a renderer never meets an object where it expects text, and statuses are one of
 * the known ones (a `status` is also a CSS class name in index.html).
 */
import { eventProblem } from '../contract/scenario-attachment';
import { CELL_STATUSES } from './types';

const STEP_STATUSES = new Set(['passed', 'failed', 'skipped', 'undefined', 'ambiguous', 'pending', 'unknown']);
const BRANCHES = new Set(['accept', 'reject', 'taken']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;

/** The first thing wrong with `v` as a MatrixReport (format version 2), as a path and a reason; undefined if none. */
export function matrixProblem(v: unknown): string | undefined {
  if (!isObj(v)) return 'the top level is not an object';
  if (!Array.isArray(v.policies)) return '"policies" is not a list';
  if (!Array.isArray(v.scenarios)) return '"scenarios" is not a list';
  if (!Array.isArray(v.coverage)) return '"coverage" is not a list';
  const ids = new Set<string>();
  for (const [i, p] of v.policies.entries()) {
    const at = `policies[${i}]`;
    if (!isObj(p)) return `${at} is not an object`;
    for (const k of ['id', 'title', 'source', 'rationale']) if (!isStr(p[k])) return `${at}.${k} is not text`;
    if (p.base !== undefined && !isStr(p.base)) return `${at}.base is not text`;
    if (!isObj(p.choices) || !Object.values(p.choices).every(isStr)) return `${at}.choices is not an object of option names`;
    if (ids.has(p.id as string)) return `${at}.id "${p.id as string}" appears twice`;
    ids.add(p.id as string);
  }
  const rows = new Set<string>();
  for (const [i, s] of v.scenarios.entries()) {
    const at = `scenarios[${i}]`;
    if (!isObj(s)) return `${at} is not an object`;
    for (const k of ['id', 'uri', 'feature', 'featureDescription', 'name']) if (!isStr(s[k])) return `${at}.${k} is not text`;
    for (const k of ['featureTags', 'tags', 'steps']) if (!isStrArray(s[k])) return `${at}.${k} is not a list of text`;
    if (s.example !== undefined && !isStrArray(s.example)) return `${at}.example is not a list of text`;
    if (!Number.isInteger(s.line) || (s.line as number) < 1) return `${at}.line is not a line number`;
    // Identity is file and line; a row whose id says otherwise would be matched against the wrong verdicts.
    if (s.id !== `${s.uri as string}:${s.line as number}`) return `${at}.id is not "<uri>:<line>"`;
    if (rows.has(s.id)) return `${at}.id "${s.id}" appears twice`;
    rows.add(s.id);
    if (!isObj(s.results)) return `${at}.results is not an object`;
    for (const [policy, c] of Object.entries(s.results)) {
      const why = cellProblem(c, (s.steps as string[]).length);
      if (why) return `${at}.results["${policy}"]${why}`;
      if (!ids.has(policy)) return `${at}.results names policy "${policy}", which "policies" does not list`;
    }
  }
  for (const [i, c] of v.coverage.entries()) {
    const at = `coverage[${i}]`;
    if (!isObj(c) || !isStr(c.policy) || !Array.isArray(c.points)) return `${at} is not { policy, points }`;
    for (const [j, p] of c.points.entries()) {
      if (!isObj(p) || !isStr(p.point) || !isStr(p.fn) || !isStr(p.option) || typeof p.isDefault !== 'boolean' || !Array.isArray(p.branches))
        return `${at}.points[${j}] is not { point, fn, option, isDefault, branches }`;
      for (const [k, b] of p.branches.entries())
        if (!isObj(b) || !BRANCHES.has(b.branch as string) || !isStrArray(b.scenarios) || !isCount(b.on420Kvm))
          return `${at}.points[${j}].branches[${k}] is not { branch, scenarios, on420Kvm }`;
    }
  }
  return undefined;
}

function cellProblem(c: unknown, stepCount: number): string | undefined {
  if (!isObj(c)) return ' is not an object';
  if (!(CELL_STATUSES as readonly unknown[]).includes(c.status)) return `.status ${JSON.stringify(c.status)} is not one of ${CELL_STATUSES.join(', ')}`;
  for (const k of ['reason', 'failingStep', 'error']) if (c[k] !== undefined && !isStr(c[k])) return `.${k} is not text`;
  if (c.preKvm !== undefined && c.preKvm !== true) return '.preKvm is not true';
  if (c.decisions !== undefined && !(isObj(c.decisions) && Object.values(c.decisions).every(isCount))) return '.decisions is not an object of counts';
  if (c.steps !== undefined) {
    if (!Array.isArray(c.steps) || c.steps.length !== stepCount) return `.steps is not a list of ${stepCount} steps`;
    for (const [i, st] of c.steps.entries()) {
      if (!isObj(st) || !STEP_STATUSES.has(st.status as string) || !Array.isArray(st.events)) return `.steps[${i}] is not { status, events }`;
      for (const [j, e] of st.events.entries()) {
        const why = eventProblem(e);
        if (why) return `.steps[${i}].events[${j}]: ${why}`;
      }
    }
  }
  return undefined;
}
