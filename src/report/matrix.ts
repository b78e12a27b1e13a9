/**
 * Per-policy runs -> one MatrixReport, and its canonical JSON.
 *
 * The JSON is the report's source of truth (markdown, HTML and merge all start from it), so it is
 * made deterministic here: rows in one total order, keys in a fixed order, no run-specific data.
 */
import type { TraceEvent } from '../sim/trace';
import type { CollectedRun } from './collect';
import { compareStrings, fillCoverage } from './coverage';
import { matrixProblem } from './validate-matrix';
import { sectionOf } from './sections';
import { type Cell, type MatrixReport, type PolicyCoverage, type PolicyInfo, type ScenarioRow } from './types';

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
  return { formatVersion: 2, policies: policies.map(canonicalPolicy), scenarios: sorted, coverage: fillCoverage(plan, sorted) };
}

/** Thread requirements first (what the mailing list argues about), then history, library, findings; then file and line. */
export function compareRows(a: ScenarioRow, b: ScenarioRow): number {
  return sectionRank(a) - sectionRank(b) || compareStrings(a.uri, b.uri) || a.line - b.line || compareStrings(a.id, b.id);
}

function sectionRank(s: ScenarioRow): number {
  const section = sectionOf(s);
  return section === 'thread' ? 0 : section === 'history' ? 1 : section === 'finding' ? 3 : 2;
}

/**
 * Indented JSON, except that each trace event takes one line: a cell's story stays readable in a
 * diff, and the file about half the size fully indented events would make it.
 */
export function serializeMatrix(report: MatrixReport): string {
  // JSON.stringify does the indenting (fast); each non-empty events list is swapped for a marker
  // string and written back one event per line.
  const lists: unknown[][] = [];
  const text = JSON.stringify(report, (key, value: unknown) => (key === 'events' && Array.isArray(value) && value.length ? `\u0000${lists.push(value) - 1}` : value), 2);
  return `${text.replace(/^( *)"events": "\\u0000(\d+)"/gm, (_, indent: string, n: string) => `${indent}"events": [\n${lists[Number(n)].map((e) => `${indent}  ${JSON.stringify(e)}`).join(',\n')}\n${indent}]`)}\n`;
}

/**
 * Reads a policy-matrix.json (for merge). The file is untrusted input: every field is checked
 * (src/report/validate-matrix.ts), so nothing unexpected reaches a renderer; a file of another
 * format version, or one with a wrong field, is a user error naming the field.
 */
export function parseMatrix(text: string, source: string): MatrixReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MatrixFormatError(`${source} is not JSON (${(err as Error).message}).`);
  }
  const v = value as { formatVersion?: unknown } | null;
  if (!v || typeof v !== 'object' || v.formatVersion !== 2)
    throw new MatrixFormatError(
      `${source} is not an apspec policy-matrix.json of format version 2${v && typeof v === 'object' && 'formatVersion' in v ? ` (it says formatVersion ${JSON.stringify(v.formatVersion)}: written by another apspec version; run the shards again with this one)` : ''}.`,
    );
  const problem = matrixProblem(value);
  if (problem) throw new MatrixFormatError(`${source} is not a valid apspec policy-matrix.json: ${problem}. Use the files \`npm start -- --shard i/n\` wrote, unchanged.`);
  return value as MatrixReport;
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
    ...(s.example ? { example: [...s.example] } : {}),
    line: s.line,
    steps: [...s.steps],
    results,
  };
}

function canonicalCell(c: Cell): Cell {
  return {
    status: c.status,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.failingStep !== undefined ? { failingStep: c.failingStep } : {}),
    ...(c.error !== undefined ? { error: c.error } : {}),
    ...(c.steps !== undefined ? { steps: c.steps.map((st) => ({ status: st.status, events: st.events.map(canonicalEvent) })) } : {}),
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
    ...(p.base !== undefined ? { base: p.base } : {}),
    choices: Object.fromEntries(Object.entries(p.choices).sort(([a], [b]) => compareStrings(a, b))),
  };
}

function canonicalEvent(e: TraceEvent): TraceEvent {
  const base = { layer: e.layer, fn: e.fn, detail: e.detail, outcome: e.outcome };
  switch (e.type) {
    case 'call':
    case 'oops':
      return { type: e.type, ...base };
    case 'vm-event':
      return { type: e.type, ...base, vm: e.vm };
    case 'decision':
      return { type: e.type, ...base, point: e.point, option: e.option, branch: e.branch };
  }
}
