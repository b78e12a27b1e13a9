/**
 * What `npm start` prints: a line per policy while it runs, then one screen of summary.
 * Pure string builders; the caller owns the stream.
 */
import { neverExercised, onlyOnPreKvm } from './coverage';
import type { CollectedRun } from './collect';
import { displayName, isRequirement, summarize, SYMBOL } from './summary';
import { CELL_STATUSES, type CellStatus, type MatrixReport } from './types';

export function progressLine(policy: string, run: CollectedRun, ms: number): string {
  const counts = new Map<CellStatus, number>();
  for (const s of run.scenarios) counts.set(s.cell.status, (counts.get(s.cell.status) ?? 0) + 1);
  const parts = CELL_STATUSES.filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${s}`);
  const n = run.scenarios.length;
  return `  ${policy.padEnd(16)} ${String(n).padStart(3)} scenario${n === 1 ? ' ' : 's'}: ${parts.join(', ') || 'none ran'}  (${(ms / 1000).toFixed(1)}s)`;
}

/** Requirements as a grid (the headline), per-policy totals, untested branches. */
export function summaryText(report: MatrixReport): string {
  const ids = report.policies.map((p) => p.id);
  const width = Math.max(...ids.map((id) => id.length), 3);
  const lines: string[] = [];
  const reqs = report.scenarios.filter(isRequirement);
  const nameWidth = Math.min(50, Math.max(12, ...reqs.map((s) => displayName(s).length)));
  if (reqs.length) {
    lines.push('', `${'requirements'.padEnd(nameWidth)}  ${ids.join('  ')}`);
    for (const s of reqs) {
      const n = displayName(s);
      const name = n.length > nameWidth ? `${n.slice(0, nameWidth - 1)}…` : n.padEnd(nameWidth);
      // Each symbol under the middle of its policy id.
      const cells = ids.map((id) => {
        const sym = s.results[id] ? SYMBOL[s.results[id].status] : ' ';
        const left = Math.floor((id.length - 1) / 2);
        return `${' '.repeat(left)}${sym}${' '.repeat(id.length - 1 - left)}`;
      });
      lines.push(`${name}  ${cells.join('  ')}`);
    }
  }
  lines.push('');
  for (const s of summarize(report)) {
    const other = CELL_STATUSES.filter((st) => st !== 'passed' && st !== 'failed' && s.counts[st]).map((st) => `, ${s.counts[st]} ${st}`);
    lines.push(`  ${s.policy.padEnd(width)}  requirements met ${s.requirementsMet}/${s.requirementsTotal}; ${s.counts.passed} passed, ${s.counts.failed} failed${other.join('')}`);
  }
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
  return `${lines.join('\n')}\n`;
}
