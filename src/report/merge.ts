/**
 * Shards -> one report. Each shard ran a disjoint slice of the scenarios under the same policies;
 * the merged report is what one unsharded run would have written (same rows, same coverage).
 */
import { assemble } from './matrix';
import type { Cell, MatrixReport, PolicyCoverage, PolicyInfo, ScenarioRow } from './types';

export function mergeMatrices(reports: readonly MatrixReport[]): MatrixReport {
  const policies = new Map<string, PolicyInfo>();
  const plans = new Map<string, PolicyCoverage>();
  const rows = new Map<string, ScenarioRow>();
  for (const r of reports) {
    for (const p of r.policies) if (!policies.has(p.id)) policies.set(p.id, p);
    // The plan (points, options, branches) is the same in every shard; the filled scenario lists
    // are recomputed from the merged cells.
    for (const c of r.coverage) if (!plans.has(c.policy)) plans.set(c.policy, c);
    for (const s of r.scenarios) {
      const prev = rows.get(s.id);
      // A scenario in two shards (overlapping runs): union its cells, later files winning per policy.
      rows.set(s.id, prev ? { ...s, results: { ...prev.results, ...s.results } } : s);
    }
  }
  // Columns in the order the first shard that has each policy put them.
  const order = [...policies.keys()];
  const scenarios = [...rows.values()].map((s) => ({
    ...s,
    results: Object.fromEntries(order.filter((id) => s.results[id]).map((id) => [id, s.results[id] as Cell])),
  }));
  return assemble([...policies.values()], order.filter((id) => plans.has(id)).map((id) => plans.get(id)!), scenarios);
}
