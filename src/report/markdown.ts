/**
 * The matrix as Markdown, for pasting into a mailing-list reply: one table per feature,
 * thread requirements first, ✓/✗ cells, then the failures explained and the untested branches.
 */
import { neverExercised, onlyOnPreKvm } from './coverage';
import { displayName, groupByFeature, summarize, SYMBOL } from './summary';
import { CELL_STATUSES, type MatrixReport } from './types';

export function renderMarkdown(report: MatrixReport): string {
  const ids = report.policies.map((p) => p.id);
  const out: string[] = ['# apspec policy matrix', ''];
  out.push(`Legend: ${CELL_STATUSES.map((s) => `${SYMBOL[s]} ${s}`).join(' · ')}`, '');

  out.push('## Policies', '');
  for (const p of report.policies) out.push(`- **${md(p.id)}**: ${md(p.title)} (${md(p.source)})`);
  out.push('');

  out.push('## Summary', '', `| | ${ids.map(md).join(' | ')} |`, `|---|${ids.map(() => '---').join('|')}|`);
  const sums = summarize(report);
  out.push(`| requirements met | ${sums.map((s) => `${s.requirementsMet}/${s.requirementsTotal}`).join(' | ')} |`);
  for (const status of CELL_STATUSES)
    if (sums.some((s) => s.counts[status] > 0)) out.push(`| ${status} | ${sums.map((s) => s.counts[status]).join(' | ')} |`);
  out.push('');

  for (const group of groupByFeature(report)) {
    const first = group.rows[0];
    out.push(`## ${md(first.feature)}`, '', `\`${group.uri}\`${first.featureTags.length ? ` ${first.featureTags.map((t) => `\`${t}\``).join(' ')}` : ''}`, '');
    out.push(`| scenario | ${ids.map(md).join(' | ')} |`, `|---|${ids.map(() => ':-:').join('|')}|`);
    for (const s of group.rows)
      out.push(`| ${md(displayName(s))} | ${ids.map((id) => (s.results[id] ? SYMBOL[s.results[id].status] : ' ')).join(' | ')} |`);
    out.push('');
  }

  const failures = report.scenarios.flatMap((s) =>
    ids.filter((id) => s.results[id] && s.results[id].status !== 'passed').map((id) => ({ s, id, cell: s.results[id] })),
  );
  if (failures.length) {
    out.push('## Why the ✗ cells fail', '');
    for (const { s, id, cell } of failures) {
      out.push(`### ${md(displayName(s))} under ${md(id)}: ${cell.status}`, '');
      if (cell.failingStep) out.push(`Step: \`${cell.failingStep.replace(/`/g, "'")}\``, '');
      if (cell.error) out.push(...fence(cell.error), '');
      if (cell.trace?.length) out.push('<details><summary>trace</summary>', '', ...fence(cell.trace.join('\n')), '', '</details>', '');
    }
  }

  const never = neverExercised(report.coverage);
  out.push('## Decision branches never exercised', '');
  if (!never.length) out.push('Every branch of every policy was taken by at least one scenario.');
  for (const n of never) out.push(`- ${md(n.policy)}: \`${n.point} = ${n.option} : ${n.branch}\``);
  out.push('');
  const preOnly = onlyOnPreKvm(report.coverage);
  if (preOnly.length) {
    out.push("## Decision branches taken only on the pre-4.20 KVM (never on Linux 4.20's own)", '');
    for (const n of preOnly) out.push(`- ${md(n.policy)}: \`${n.point} = ${n.option} : ${n.branch}\``);
    out.push('');
  }
  return out.join('\n');
}

/**
 * Table cells cannot hold pipes or newlines, and `<` could start HTML. Nothing else is escaped:
 * the text goes into plain-text mail too, where `vfio\\_ap` would be noise (an intraword `_` is
 * not emphasis in CommonMark anyway).
 */
function md(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\s*\n\s*/g, ' ');
}

/** A fence longer than any backtick run inside, so error text cannot close it. */
function fence(text: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return [f, text, f];
}
