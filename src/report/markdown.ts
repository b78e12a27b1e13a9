/**
 * The report for a forge (`policy-matrix.md`): the text report's content with Markdown tables,
 * the requirement tables first, what each patch changes, the findings, then each failing cell once
 * with its decisive trace lines, and its steps and trace in one `<details>` (never printed twice).
 * Rows where every policy passes are left to index.html and the JSON.
 */
import { neverExercised, onlyOnPreKvm } from './coverage';
import { changesFromBase, nameAfterLabel, requirementCell, requirementLabel, requirementsOf, sectionOf, tablePolicies, type Requirement } from './sections';
import { decisiveEvents, failingStepIndex, failureGroups, storyOf } from './story';
import { displayName, statusWords, summarize, SYMBOL } from './summary';
import { CELL_STATUSES, type Cell, type MatrixReport, type PolicyInfo, type ScenarioRow } from './types';
import { formatEvent } from '../sim/trace';


/** Line count after which failing scenarios are listed without their story, to stay under 400 lines. */
const STORY_BUDGET = 320;
/** Line count after which the remaining failing scenarios are only counted. */
const COMPACT_BUDGET = 350;
/** Untested branches listed before the rest are only counted. */
const MAX_BRANCH_LINES = 15;

export function renderMarkdown(report: MatrixReport): string {
  const out: string[] = ['# apspec policy matrix', ''];
  out.push(`${report.scenarios.length} scenarios × ${report.policies.length} policies. ${CELL_STATUSES.map((s) => `${SYMBOL[s]} ${statusWords(s)}`).join(' · ')}`, '');

  for (const [section, title] of [
    ['thread', 'The 2018 thread: requirements × candidate policies'],
    ['history', 'Kernel history: requirements × releases'],
  ] as const) {
    const reqs = requirementsOf(report, section);
    const cols = tablePolicies(report, section);
    if (reqs.length && cols.length) out.push(`## ${title}`, '', ...requirementTable(reqs, cols), '');
  }

  const sums = summarize(report).filter((s) => s.met.length + s.missed.length > 0);
  if (sums.length) {
    out.push('**Requirements met**', '');
    for (const s of sums) out.push(`- ${md(s.policy)}: ${s.met.length ? s.met.map(md).join(', ') : 'none'}${s.missed.length ? `; misses ${s.missed.map(md).join(', ')}` : ''}`);
    out.push('');
  }

  const patches = changesFromBase(report);
  if (patches.length) {
    out.push('## What each policy changes against its base', '');
    for (const { policy, base, changes } of patches) {
      out.push(`- **${md(policy.id)}** on ${md(base)}: ${changes.length ? `${changes.length} verdict${changes.length === 1 ? '' : 's'} differ` : 'no verdict differs'}`);
      for (const c of changes) out.push(`  - ${SYMBOL[c.status]} (${md(base)}: ${SYMBOL[c.baseStatus]}) ${md(displayName(c.scenario))} \`${c.scenario.id}\``);
    }
    out.push('');
  }

  const findings = requirementsOf(report, 'finding');
  if (findings.length) {
    out.push('## Findings', '', 'Defects of the kernel as merged, expected to fail under every policy; not counted against any.', '');
    out.push(...requirementTable(findings, report.policies), '');
  }

  const library = report.scenarios.filter((s) => sectionOf(s) === 'library' && Object.values(s.results).some((c) => !['passed', 'skipped', 'not-applicable'].includes(c.status)));
  if (library.length) {
    const ids = report.policies.map((p) => p.id);
    out.push('## Other scenarios that fail under some policy', '', `| scenario | ${ids.map(md).join(' | ')} |`, `|---|${ids.map(() => ':-:').join('|')}|`);
    for (const s of library) out.push(`| ${md(displayName(s))} \`${s.id}\` | ${ids.map((id) => (s.results[id] ? SYMBOL[s.results[id].status] : ' ')).join(' | ')} |`);
    out.push('');
  }

  const groups = failureGroups(report, { findings: true });
  if (groups.length) {
    out.push('## Why the cells fail', '');
    // One section per scenario: each way it fails (policies, step, error, decisive lines), then
    // its steps and trace once, under the first policy listed.
    const byScenario = new Map<string, typeof groups>();
    for (const g of groups) byScenario.set(g.scenario.id, [...(byScenario.get(g.scenario.id) ?? []), g]);
    let compact = false;
    let skipped = 0;
    for (const list of byScenario.values()) {
      const s = list[0].scenario;
      const block = [`### ${md(displayName(s))}`, '', `\`${s.id}\``, ''];
      for (const g of list)
        block.push(`- **${statusWords(g.cell.status)}** under ${g.policies.map(md).join(', ')}${g.cell.failingStep ? ` at \`${g.cell.failingStep.replace(/`/g, "'")}\`` : ''}${g.cell.error ? `: ${md(g.cell.error.split('\n')[0])}` : ''}`);
      const first = list[0];
      // The decisive lines are marked `>>` in the story; without a story they are listed.
      if (first.cell.steps)
        block.push('', `<details><summary>steps and trace under ${md(first.policies[0])} (decisive lines marked &gt;&gt;)</summary>`, '', ...fence(storyText(s, first.cell, first.decisiveAt)), '', '</details>', '');
      else if (first.decisive.length) block.push('', ...fence(first.decisive.map(formatEvent).join('\n')), '');
      else block.push('');
      // Past the budget, one line per cause: index.html has every story, and the file stays quotable.
      if (!compact && lineCount(out) + lineCount(block) <= STORY_BUDGET) {
        out.push(...block);
        continue;
      }
      if (!compact) out.push('More failing scenarios, one line per cause (their stories are in index.html):', '');
      compact = true;
      if (lineCount(out) >= COMPACT_BUDGET) {
        skipped += list.length;
        continue;
      }
      for (const g of list) out.push(`- ${md(displayName(s))} \`${s.id}\`: ${statusWords(g.cell.status)} under ${g.policies.map(md).join(', ')}${g.cell.failingStep ? ` at \`${g.cell.failingStep.replace(/`/g, "'")}\`` : ''}`);
    }
    if (skipped) out.push(`- ... and ${skipped} more failing cause${skipped === 1 ? '' : 's'}: see index.html`);
    if (compact) out.push('');
  }

  const never = groupBranches(neverExercised(report.coverage));
  if (never.length) {
    out.push('## Decision branches never exercised', '');
    for (const [branch, policies] of never.slice(0, MAX_BRANCH_LINES)) out.push(`- \`${branch}\` under ${policies.map(md).join(', ')}`);
    if (never.length > MAX_BRANCH_LINES) out.push(`- ... and ${never.length - MAX_BRANCH_LINES} more: see the decision coverage in index.html`);
    out.push('');
  }
  const preOnly = groupBranches(onlyOnPreKvm(report.coverage));
  if (preOnly.length) {
    out.push("## Decision branches taken only on the pre-4.20 KVM (never on Linux 4.20's own)", '');
    for (const [branch, policies] of preOnly) out.push(`- \`${branch}\` under ${policies.map(md).join(', ')}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function requirementTable(reqs: readonly Requirement[], cols: readonly PolicyInfo[]): string[] {
  const out = [`| requirement | ${cols.map((p) => md(p.id)).join(' | ')} |`, `|---|${cols.map(() => ':-:').join('|')}|`];
  for (const r of reqs) {
    const name = `**${md(requirementLabel(r))}** ${md(nameAfterLabel(r))}`;
    out.push(`| ${name} | ${cols.map((p) => SYMBOL[requirementCell(r, p.id)?.status ?? 'skipped']).join(' | ')} |`);
  }
  return out;
}

/**
 * The steps in order, the events each caused indented under it, `>>` on the decisive ones. Only
 * the step that ended the scenario, the step before it and the decisive events show their events;
 * other steps show how many they caused (the full trace is in index.html and the JSON).
 */
export function storyText(row: ScenarioRow, cell: Cell, decisiveAt: readonly number[] = decisiveEvents(cell)): string {
  const decisive = new Set(decisiveAt);
  const stop = failingStepIndex(cell);
  const lines: string[] = [];
  let k = 0;
  storyOf(row, cell).forEach((st, i) => {
    const full = i === stop || i === stop - 1;
    const mark = st.status === 'passed' ? '  ' : st.status === 'skipped' ? '- ' : 'X ';
    const hidden = full ? 0 : st.events.filter((_, j) => !decisive.has(k + j)).length;
    lines.push(`${mark}${st.text}${mark === 'X ' ? `   <- ${st.status}` : ''}${hidden ? `   (${hidden} event${hidden === 1 ? '' : 's'})` : ''}`);
    for (const e of st.events) {
      if (full || decisive.has(k)) lines.push(`    ${decisive.has(k) ? '>> ' : ''}${formatEvent(e)}`);
      k += 1;
    }
  });
  return lines.join('\n');
}

/** Lines, not array entries: a fence's text is one entry of many lines. */
function lineCount(entries: readonly string[]): number {
  return entries.reduce((n, e) => n + e.split('\n').length, 0);
}

function groupBranches(list: readonly { policy: string; point: string; option: string; branch: string }[]): [string, string[]][] {
  const m = new Map<string, string[]>();
  for (const n of list) {
    const k = `${n.point} = ${n.option} : ${n.branch}`;
    m.set(k, [...(m.get(k) ?? []), n.policy]);
  }
  return [...m];
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
