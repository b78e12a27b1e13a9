/**
 * Per-policy totals and the words and symbols of each status, shared by the console, the text, the
 * Markdown and the HTML so they never disagree.
 */
import { requirementCell, requirementLabel, requirementsOf, sectionOf, tablePolicies, type Requirement } from './sections';
import { CELL_STATUSES, type CellStatus, type MatrixReport, type ScenarioRow } from './types';

export interface PolicySummary {
  readonly policy: string;
  /** Labels of the requirements (of the table this policy is a column of) it meets: `R1`, `R3`. */
  readonly met: readonly string[];
  /** Labels of the applicable requirements it does not meet. */
  readonly missed: readonly string[];
  /** Cells per status, findings excluded (they fail everywhere by design). */
  readonly counts: Readonly<Record<CellStatus, number>>;
}

/** True for a scenario of a requirement table (thread or history). */
export function isRequirement(s: ScenarioRow): boolean {
  const section = sectionOf(s);
  return section === 'thread' || section === 'history';
}

/** The requirements each policy is judged on: the rows of the table(s) it is a column of. */
function requirementsFor(report: MatrixReport, policy: string): Requirement[] {
  const out: Requirement[] = [];
  if (tablePolicies(report, 'thread').some((p) => p.id === policy)) out.push(...requirementsOf(report, 'thread'));
  if (tablePolicies(report, 'history').some((p) => p.id === policy)) out.push(...requirementsOf(report, 'history'));
  return out;
}

export function summarize(report: MatrixReport): PolicySummary[] {
  return report.policies.map((p) => {
    const counts = Object.fromEntries(CELL_STATUSES.map((s) => [s, 0])) as Record<CellStatus, number>;
    for (const s of report.scenarios) {
      const cell = s.results[p.id];
      if (cell && sectionOf(s) !== 'finding') counts[cell.status] += 1;
    }
    const met: string[] = [];
    const missed: string[] = [];
    for (const r of requirementsFor(report, p.id)) {
      const rc = requirementCell(r, p.id);
      if (rc?.status === 'passed') met.push(requirementLabel(r));
      else if (rc && rc.status !== 'not-applicable' && rc.status !== 'skipped') missed.push(requirementLabel(r));
    }
    return { policy: p.id, met, missed, counts };
  });
}

/** One symbol per status, for Markdown and the HTML (the text outputs use ASCII_SYMBOL). */
export const SYMBOL: Readonly<Record<CellStatus, string>> = {
  passed: '✓',
  failed: '✗',
  'not-applicable': 'n.a.',
  'policy-error': '‼',
  undefined: '?',
  ambiguous: '≈',
  pending: '…',
  skipped: '–',
};

/** Plain ASCII for the text outputs (mail, terminals): at most five characters. */
export const ASCII_SYMBOL: Readonly<Record<CellStatus, string>> = {
  passed: 'ok',
  failed: 'FAIL',
  'not-applicable': 'n.a.',
  'policy-error': 'ERR',
  undefined: 'UNDEF',
  ambiguous: 'AMBIG',
  pending: 'PEND',
  skipped: '-',
};

/** The status in words: `not-applicable` reads "not applicable". */
export function statusWords(status: CellStatus): string {
  return status === 'not-applicable' ? 'not applicable' : status === 'policy-error' ? 'policy error' : status;
}

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
export function displayName(s: Pick<ScenarioRow, 'name' | 'example'>): string {
  return s.example ? `${s.name} [${s.example.join(' | ')}]` : s.name;
}
