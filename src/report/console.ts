/**
 * What `npm start` prints: a line per policy while it runs, then a short summary. Quiet for small
 * runs: the requirement tables only when the run has requirement rows, and the untested decision
 * branches only when the run covered every feature (a run of one feature leaves most untested).
 * Pure string builders; the caller owns the stream.
 */
import { neverExercised, onlyOnPreKvm } from './coverage';
import type { CollectedRun } from './collect';
import { summarize } from './summary';
import { requirementTables } from './text';
import { CELL_STATUSES, type CellStatus, type MatrixReport } from './types';

export function progressLine(policy: string, run: CollectedRun, ms: number): string {
  const counts = new Map<CellStatus, number>();
  for (const s of run.scenarios) counts.set(s.cell.status, (counts.get(s.cell.status) ?? 0) + 1);
  const parts = CELL_STATUSES.filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${s}`);
  const n = run.scenarios.length;
  return `  ${policy.padEnd(16)} ${String(n).padStart(3)} scenario${n === 1 ? ' ' : 's'}: ${parts.join(', ') || 'none ran'}  (${(ms / 1000).toFixed(1)}s)`;
}

export interface SummaryOptions {
  /** The run covered every feature and policy: only then are never-exercised branches news. */
  readonly complete?: boolean;
}

/** The requirement tables (when the run has requirement rows), per-policy totals, untested branches. */
export function summaryText(report: MatrixReport, opts: SummaryOptions = {}): string {
  const width = Math.max(3, ...report.policies.map((p) => p.id.length));
  const lines: string[] = [...requirementTables(report)];
  lines.push('');
  for (const s of summarize(report)) {
    const other = CELL_STATUSES.filter((st) => st !== 'passed' && st !== 'failed' && s.counts[st]).map((st) => `, ${s.counts[st]} ${st}`);
    const met = s.met.length + s.missed.length ? `met ${s.met.join(' ') || 'none'}${s.missed.length ? ` (misses ${s.missed.join(' ')})` : ''}; ` : '';
    lines.push(`  ${s.policy.padEnd(width)}  ${met}${s.counts.passed} passed, ${s.counts.failed} failed${other.join('')}`);
  }
  if (opts.complete) {
    const never = neverExercised(report.coverage);
    if (never.length) {
      lines.push('', `Decision branches never exercised (${never.length}):`);
      for (const n of never) lines.push(`  ${n.policy.padEnd(width)}  ${n.point} = ${n.option} : ${n.branch}`);
    }
    const preOnly = onlyOnPreKvm(report.coverage);
    if (preOnly.length) {
      lines.push('', `Decision branches taken only on the pre-4.20 KVM, never on Linux 4.20's own (${preOnly.length}):`);
      for (const n of preOnly) lines.push(`  ${n.policy.padEnd(width)}  ${n.point} = ${n.option} : ${n.branch}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
