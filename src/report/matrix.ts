/**
 * Per-policy runs -> one MatrixReport, and its canonical JSON.
 *
 * The JSON is the report's source of truth (markdown, HTML and merge all start from it), so it is
 * made deterministic here: rows in one total order, keys in a fixed order, no run-specific data.
 */
import type { CollectedRun } from './collect';
import { compareStrings, fillCoverage } from './coverage';
import { THREAD_URI_PREFIX, type Cell, type MatrixReport, type PolicyCoverage, type PolicyInfo, type ScenarioRow } from './types';

export interface PolicyRun {
  readonly policy: PolicyInfo;
  readonly plan: PolicyCoverage;
  readonly run: CollectedRun;
}

export function buildMatrix(runs: readonly PolicyRun[]): MatrixReport {
  const rows = new Map<string, { row: Omit<ScenarioRow, 'results'>; results: Map<string, Cell> }>();
  for (const { policy, run } of runs) {
    for (const { cell, ...row } of run.scenarios) {
      const entry = rows.get(row.id) ?? { row, results: new Map<string, Cell>() };
      entry.results.set(policy.id, cell);
      rows.set(row.id, entry);
    }
  }
  const scenarios = [...rows.values()].map(({ row, results }) => ({
    ...row,
    // Policy columns keep the report's order (the thread's chronology), not insertion order.
    results: Object.fromEntries(runs.filter((r) => results.has(r.policy.id)).map((r) => [r.policy.id, results.get(r.policy.id)!])),
  }));
  return assemble(runs.map((r) => r.policy), runs.map((r) => r.plan), scenarios);
}

/** Sort rows, canonicalise each row and recompute coverage: the one way a report is put together. */
export function assemble(policies: readonly PolicyInfo[], plan: readonly PolicyCoverage[], scenarios: readonly ScenarioRow[]): MatrixReport {
  const sorted = [...scenarios].map(canonicalRow).sort(compareRows);
  return { formatVersion: 1, policies: policies.map(canonicalPolicy), scenarios: sorted, coverage: fillCoverage(plan, sorted) };
}

/** Thread requirements first (they are what the mailing list argues about), then by file and line. */
export function compareRows(a: ScenarioRow, b: ScenarioRow): number {
  const ta = a.uri.startsWith(THREAD_URI_PREFIX) ? 0 : 1;
  const tb = b.uri.startsWith(THREAD_URI_PREFIX) ? 0 : 1;
  return ta - tb || compareStrings(a.uri, b.uri) || a.line - b.line || compareStrings(a.id, b.id);
}

export function serializeMatrix(report: MatrixReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Reads a policy-matrix.json (for merge); a file of another format version is a user error. */
export function parseMatrix(text: string, source: string): MatrixReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MatrixFormatError(`${source} is not JSON (${(err as Error).message}).`);
  }
  const v = value as Partial<MatrixReport> | null;
  if (!v || v.formatVersion !== 1 || !Array.isArray(v.policies) || !Array.isArray(v.scenarios) || !Array.isArray(v.coverage))
    throw new MatrixFormatError(`${source} is not an apspec policy-matrix.json (format version 1).`);
  return v as MatrixReport;
}

export class MatrixFormatError extends Error {
  override name = 'MatrixFormatError';
}

// Objects are rebuilt key by key so the JSON's key order never depends on where a row came from
// (a live run or a merged file).
function canonicalRow(s: ScenarioRow): ScenarioRow {
  const results: Record<string, Cell> = {};
  for (const [policy, c] of Object.entries(s.results)) results[policy] = canonicalCell(c);
  return {
    id: s.id,
    uri: s.uri,
    feature: s.feature,
    featureDescription: s.featureDescription,
    featureTags: [...s.featureTags],
    tags: [...s.tags],
    name: s.name,
    line: s.line,
    results,
  };
}

function canonicalCell(c: Cell): Cell {
  return {
    status: c.status,
    ...(c.failingStep !== undefined ? { failingStep: c.failingStep } : {}),
    ...(c.error !== undefined ? { error: c.error } : {}),
    ...(c.trace !== undefined ? { trace: [...c.trace] } : {}),
    ...(c.decisions !== undefined
      ? { decisions: Object.fromEntries(Object.entries(c.decisions).sort(([a], [b]) => compareStrings(a, b))) }
      : {}),
    ...(c.preKvm ? { preKvm: true as const } : {}),
  };
}

function canonicalPolicy(p: PolicyInfo): PolicyInfo {
  return {
    id: p.id,
    title: p.title,
    source: p.source,
    rationale: p.rationale,
    choices: Object.fromEntries(Object.entries(p.choices).sort(([a], [b]) => compareStrings(a, b))),
  };
}
