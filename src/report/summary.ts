/**
 * Per-policy totals, shared by the console, Markdown and HTML so they never disagree.
 */
import { CELL_STATUSES, THREAD_TAG, type CellStatus, type MatrixReport, type ScenarioRow } from './types';

export interface PolicySummary {
  readonly policy: string;
  /** @thread scenarios (the thread's requirements) this policy passes. */
  readonly requirementsMet: number;
  readonly requirementsTotal: number;
  readonly counts: Readonly<Record<CellStatus, number>>;
}

export function isRequirement(s: ScenarioRow): boolean {
  return s.tags.includes(THREAD_TAG);
}

export function summarize(report: MatrixReport): PolicySummary[] {
  return report.policies.map((p) => {
    const counts = Object.fromEntries(CELL_STATUSES.map((s) => [s, 0])) as Record<CellStatus, number>;
    let met = 0;
    let total = 0;
    for (const s of report.scenarios) {
      const cell = s.results[p.id];
      if (!cell) continue;
      counts[cell.status] += 1;
      if (isRequirement(s)) {
        total += 1;
        if (cell.status === 'passed') met += 1;
      }
    }
    return { policy: p.id, requirementsMet: met, requirementsTotal: total, counts };
  });
}

/** One symbol per status, for Markdown and the console (the HTML adds words and colour). */
export const SYMBOL: Readonly<Record<CellStatus, string>> = {
  passed: '✓',
  failed: '✗',
  'policy-error': '‼',
  undefined: '?',
  ambiguous: '≈',
  pending: '…',
  skipped: '–',
};

/** Rows grouped by feature file, in report order (thread requirements first). */
export function groupByFeature(report: MatrixReport): { uri: string; rows: ScenarioRow[] }[] {
  const groups: { uri: string; rows: ScenarioRow[] }[] = [];
  for (const s of report.scenarios) {
    const last = groups[groups.length - 1];
    if (last && last.uri === s.uri) last.rows.push(s);
    else groups.push({ uri: s.uri, rows: [s] });
  }
  return groups;
}

/** The scenario's name as rows show it: an outline's example row is appended (`... [off]`). */
export function displayName(s: ScenarioRow): string {
  const at = s.id.indexOf(' » ');
  return at >= 0 ? s.id.slice(at + 3) : s.name;
}
