/**
 * Expected verdicts: the committed `reports/expected-verdicts.json`, `{ scenario id: { policy: status } }`.
 *
 * Failing cells are the product (a policy that misses a requirement), so a run is judged against
 * the verdicts a reviewer accepted, like a snapshot: only a *change* of verdict fails `npm start`.
 */
import { compareStrings } from './coverage';
import { CELL_STATUSES, type Cell, type CellStatus, type MatrixReport } from './types';

export type ExpectedVerdicts = Readonly<Record<string, Readonly<Record<string, CellStatus>>>>;

export type VerdictDifference =
  | { readonly kind: 'changed'; readonly id: string; readonly name: string; readonly where: string; readonly policy: string; readonly expected: CellStatus; readonly actual: CellStatus }
  | { readonly kind: 'new'; readonly id: string; readonly name: string; readonly where: string; readonly policy: string; readonly actual: CellStatus }
  | { readonly kind: 'gone'; readonly id: string; readonly policy: string; readonly expected: CellStatus };

export interface DiffOptions {
  /**
   * True when the run covered every scenario and every policy (no --policy, --tags, paths or
   * --shard): only then is an expected verdict that did not run a difference ("gone").
   */
  readonly complete: boolean;
}

/**
 * A cell of a scenario pinned to another policy (`Given the policy "v10"`): the scenario does not
 * run there, so the cell is no verdict to record or compare. It is left out of the expected
 * verdicts; if the pin goes away, its verdict shows up as a new one.
 */
export function isPinnedElsewhere(cell: Cell): boolean {
  return cell.status === 'skipped' && (cell.reason ?? '').startsWith('pinned to policy ');
}

export function verdictsOf(report: MatrixReport): ExpectedVerdicts {
  const out: Record<string, Record<string, CellStatus>> = {};
  for (const s of report.scenarios) {
    const cells = Object.entries(s.results).filter(([, cell]) => !isPinnedElsewhere(cell));
    if (!cells.length) continue;
    out[s.id] = {};
    for (const [policy, cell] of cells) out[s.id][policy] = cell.status;
  }
  return sortVerdicts(out);
}

export function diffVerdicts(expected: ExpectedVerdicts, report: MatrixReport, opts: DiffOptions): VerdictDifference[] {
  const diffs: VerdictDifference[] = [];
  const seen = new Set<string>();
  for (const s of report.scenarios) {
    const where = `${s.uri}:${s.line}`;
    for (const [policy, cell] of Object.entries(s.results)) {
      if (isPinnedElsewhere(cell)) continue;
      seen.add(`${s.id}\u0000${policy}`);
      const want = expected[s.id]?.[policy];
      if (want === undefined) diffs.push({ kind: 'new', id: s.id, name: s.name, where, policy, actual: cell.status });
      else if (want !== cell.status) diffs.push({ kind: 'changed', id: s.id, name: s.name, where, policy, expected: want, actual: cell.status });
    }
  }
  if (opts.complete)
    for (const [id, byPolicy] of Object.entries(expected))
      for (const [policy, want] of Object.entries(byPolicy))
        if (!seen.has(`${id}\u0000${policy}`)) diffs.push({ kind: 'gone', id, policy, expected: want });
  return diffs;
}

export function formatDifference(d: VerdictDifference): string {
  switch (d.kind) {
    case 'changed':
      return `${d.name} (${d.where}) under ${d.policy}: expected ${d.expected}, got ${d.actual}`;
    case 'new':
      return `${d.name} (${d.where}) under ${d.policy}: no expected verdict yet, got ${d.actual}`;
    case 'gone':
      return `${d.id} under ${d.policy}: expected ${d.expected}, but no scenario starts at that line any more (moved or removed)`;
  }
}

/**
 * The verdicts to commit after `--accept`. A complete run replaces the file; a partial run (a
 * subset of policies or scenarios) updates only the cells it ran and keeps the rest.
 */
export function acceptVerdicts(previous: ExpectedVerdicts | undefined, report: MatrixReport, opts: DiffOptions): ExpectedVerdicts {
  refuseUnrecordable(report);
  const now = verdictsOf(report);
  if (opts.complete || !previous) return now;
  const out: Record<string, Record<string, CellStatus>> = {};
  for (const [id, byPolicy] of Object.entries(previous)) out[id] = { ...byPolicy };
  for (const [id, byPolicy] of Object.entries(now)) out[id] = { ...(out[id] ?? {}), ...byPolicy };
  return sortVerdicts(out);
}

/**
 * What `--accept` may record: a verdict about the kernel under a policy. Every other status
 * (undefined, ambiguous or pending step, step or policy error, skipped) says the feature or the
 * policy is broken, and recording it would turn a broken cell into an expected one. A scenario
 * pinned to another policy is neither: its cells there are left out (isPinnedElsewhere).
 */
export const RECORDABLE_STATUSES: readonly string[] = ['passed', 'failed', 'not-applicable'];

/** `--accept` refuses a run with a cell that is no verdict; the message lists every such cell. */
export class UnrecordableVerdictsError extends Error {
  override name = 'UnrecordableVerdictsError';
}

function refuseUnrecordable(report: MatrixReport): void {
  const bad = report.scenarios.flatMap((s) =>
    Object.entries(s.results)
      .filter(([, cell]) => !RECORDABLE_STATUSES.includes(cell.status) && !isPinnedElsewhere(cell))
      .map(([policy, cell]) => `  ${s.uri}:${s.line}  ${s.name}  under ${policy}: ${cell.status}`),
  );
  if (bad.length)
    throw new UnrecordableVerdictsError(
      `--accept records only verdicts (${RECORDABLE_STATUSES.join(', ')}); nothing was recorded, because ${bad.length} cell${bad.length === 1 ? ' is' : 's are'} not one:\n${bad.join('\n')}\n` +
        'Fix the feature or the policy (the report says what went wrong in each cell), then accept again.',
    );
}

export function serializeVerdicts(v: ExpectedVerdicts): string {
  return `${JSON.stringify(sortVerdicts(v), null, 2)}\n`;
}

export function parseVerdicts(text: string, source: string): ExpectedVerdicts {
  // The advice must work whatever state the file is in: `--accept` reads the file it rewrites
  // (a partial run keeps the cells it did not run), so "delete it, then accept" is what always works.
  const redo = `Fix it by hand, or delete it and record the verdicts again with a complete run:  npm start -- --accept`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new VerdictsFormatError(`${source} is not valid JSON (${(err as Error).message}). ${redo}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new VerdictsFormatError(`${source} must be an object { "<scenario id>": { "<policy>": "<status>" } }. ${redo}`);
  for (const [id, byPolicy] of Object.entries(value)) {
    // Scenarios are identified by file and line (ScenarioRow.id); older files keyed them by name.
    if (!/^.+:\d+$/.test(id))
      throw new VerdictsFormatError(`${source}: "${id}" is not a scenario id of the form <feature file>:<line> (files written before scenarios were identified by file and line used names). ${redo}`);
    if (typeof byPolicy !== 'object' || byPolicy === null || Array.isArray(byPolicy))
      throw new VerdictsFormatError(`${source}: "${id}" must map policies to statuses, not ${JSON.stringify(byPolicy)}. ${redo}`);
    for (const [policy, status] of Object.entries(byPolicy as object))
      if (!(CELL_STATUSES as readonly unknown[]).includes(status))
        throw new VerdictsFormatError(`${source}: "${id}" under ${policy} has unknown status ${JSON.stringify(status)}; known: ${CELL_STATUSES.join(', ')}. ${redo}`);
  }
  return value as ExpectedVerdicts;
}

export class VerdictsFormatError extends Error {
  override name = 'VerdictsFormatError';
}

function sortVerdicts(v: ExpectedVerdicts): Record<string, Record<string, CellStatus>> {
  return Object.fromEntries(
    Object.keys(v)
      .sort(compareStrings)
      .map((id) => [id, Object.fromEntries(Object.entries(v[id]).sort(([a], [b]) => compareStrings(a, b)))]),
  );
}
