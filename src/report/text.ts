/**
 * The report as plain text for a reply on the mailing list (`reports/policy-matrix.txt`, and
 * `npm start -- --format text` on stdout): ASCII only, no line over 72 columns, the requirement
 * tables first, then what each patch changes against its base, the findings, and per failing cell
 * the failing step and the decisive trace lines. Long lists stop at a budget and point to the
 * Markdown, so the whole stays one screenful of mail (under 150 lines for today's suite).
 */
import { formatEvent } from '../sim/trace';
import {
  changesFromBase,
  requirementCell,
  nameAfterLabel,
  requirementLabel,
  requirementsOf,
  tablePolicies,
  type Requirement,
} from './sections';
import { failureGroups } from './story';
import { ASCII_SYMBOL, displayName, summarize } from './summary';
import type { CellStatus, MatrixReport, PolicyInfo, ScenarioRow } from './types';

export const TEXT_WIDTH = 72;
/** The failing cells stop before this many lines (the rest point to the Markdown). */
const LINE_BUDGET = 146;

export function renderText(report: MatrixReport): string {
  const out: string[] = [];
  const n = report.scenarios.length;
  out.push(`apspec policy matrix: ${n} scenario${n === 1 ? '' : 's'} x ${report.policies.length} policies`);
  out.push(...wrap('Cells: ok passed, FAIL failed, n.a. not applicable, - skipped (pinned to another policy), ERR policy error.', ''));

  out.push(...requirementTables(report));

  const sums = summarize(report).filter((s) => s.met.length + s.missed.length > 0);
  if (sums.length) {
    out.push('', 'Requirements met');
    for (const s of sums)
      out.push(...wrap(`${s.met.length ? s.met.join(' ') : 'none'}${s.missed.length ? `; misses ${s.missed.join(' ')}` : ''}`, `  ${s.policy}: `, '    '));
  }

  const patches = changesFromBase(report);
  if (patches.length) {
    out.push('', 'What each policy changes against its base');
    for (const { policy, base, changes } of patches) {
      out.push(`  ${policy.id} on ${base}: ${changes.length ? `${changes.length} verdict${changes.length === 1 ? '' : 's'} differ` : 'no verdict differs'}`);
      for (const c of changes.slice(0, 6))
        out.push(clip(`    ${ASCII_SYMBOL[c.status]}, ${base} ${ASCII_SYMBOL[c.baseStatus]}: ${displayName(c.scenario)}`), clip(`      ${shortUri(c.scenario)}`));
      if (changes.length > 6) out.push(`    ... ${changes.length - 6} more in policy-matrix.md`);
    }
  }

  const findings = requirementsOf(report, 'finding');
  if (findings.length) {
    out.push('', 'Findings (defects of the kernel as merged; expected to fail', 'under every policy, not counted against any)');
    for (const f of findings) {
      const counts = new Map<CellStatus, number>();
      for (const p of report.policies) {
        const rc = requirementCell(f, p.id);
        if (rc) counts.set(rc.status, (counts.get(rc.status) ?? 0) + 1);
      }
      out.push(clip(`  ${f.name}`), `    ${[...counts].map(([st, k]) => `${ASCII_SYMBOL[st]} under ${k === report.policies.length ? `all ${k}` : k}`).join(', ')}  (${shortUriOf(f.uri)})`);
    }
  }

  const groups = failureGroups(report, { findings: false });
  if (groups.length) {
    out.push('', `Failing cells (${groups.reduce((k, g) => k + g.policies.length, 0)}), by scenario and cause`);
    let shown = 0;
    for (const g of groups) {
      const block = ['', clip(`${shortUri(g.scenario)}  ${displayName(g.scenario)}`)];
      block.push(...wrap(g.policies.join(', '), `  ${ASCII_SYMBOL[g.cell.status]} under `, '    '));
      if (g.cell.failingStep) block.push(...wrap(g.cell.failingStep, '  at: ', '      '));
      if (g.cell.error) block.push(...atMost(wrap(firstLine(g.cell.error), '  ', '  '), 3));
      for (const e of g.decisive) block.push(...wrap(formatEvent(e), '  > ', '      '));
      // Stay one screenful of mail: what does not fit is in the Markdown.
      if (out.length + block.length > LINE_BUDGET) break;
      out.push(...block);
      shown += 1;
    }
    if (shown < groups.length) out.push('', `... ${groups.length - shown} more failing scenario causes: see policy-matrix.md`);
  }
  return `${out.join('\n')}\n`;
}

/** The thread and history tables, each preceded by a blank line and its title; none when the run has no requirement rows. */
export function requirementTables(report: MatrixReport): string[] {
  const out: string[] = [];
  for (const [section, title] of [
    ['thread', 'The 2018 thread: requirements x candidate policies'],
    ['history', 'Kernel history: requirements x releases'],
  ] as const) {
    const reqs = requirementsOf(report, section);
    const cols = tablePolicies(report, section);
    if (reqs.length && cols.length) out.push('', title, ...requirementTable(reqs, cols));
  }
  return out;
}

/** A requirement table: a short label per row, then the full names underneath. */
function requirementTable(reqs: readonly Requirement[], cols: readonly PolicyInfo[]): string[] {
  const labels = reqs.map(requirementLabel);
  const labelWidth = Math.max(3, ...labels.map((l) => l.length));
  const headers = columnHeaders(cols.map((p) => p.id), TEXT_WIDTH - labelWidth - 2);
  const widths = headers.names.map((h) => Math.max(h.length, 4));
  const row = (label: string, cells: readonly string[]) => `${label.padEnd(labelWidth)}  ${cells.map((c, i) => c.padEnd(widths[i])).join(' ')}`.trimEnd();
  const out = [row('', headers.names)];
  reqs.forEach((r, i) => out.push(row(labels[i], cols.map((p) => ASCII_SYMBOL[requirementCell(r, p.id)?.status ?? 'skipped']))));
  if (headers.key) out.push(...headers.key);
  reqs.forEach((r, i) => out.push(...wrap(nameAfterLabel(r), `${labels[i].padEnd(labelWidth)}  `, ' '.repeat(labelWidth + 2))));
  return out;
}

/**
 * Column headers that fit `room` columns: the ids; else without a prefix they all share
 * (`linux-`); else letters, with a key below the table.
 */
export function columnHeaders(ids: readonly string[], room: number): { names: string[]; key?: string[] } {
  const fits = (names: readonly string[]) => names.reduce((k, n) => k + Math.max(n.length, 4) + 1, -1) <= room;
  if (fits(ids)) return { names: [...ids] };
  const prefix = /^[^-]*-/.exec(ids[0] ?? '')?.[0];
  if (prefix && ids.every((id) => id.startsWith(prefix) && id.length > prefix.length)) {
    const names = ids.map((id) => id.slice(prefix.length));
    if (fits(names)) return { names, key: [`(columns: ${prefix}<release>)`] };
  }
  const names = ids.map((_, i) => String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : ''));
  return { names, key: wrap(ids.map((id, i) => `${names[i]}=${id}`).join(' '), '(columns: ', '  ') };
}

/** The first `n` lines, the last one marked `...` when some were cut. */
function atMost(lines: string[], n: number): string[] {
  if (lines.length <= n) return lines;
  const cut = lines.slice(0, n);
  cut[n - 1] = `${cut[n - 1].slice(0, TEXT_WIDTH - 4)} ...`;
  return cut;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function shortUriOf(uri: string): string {
  return uri.replace(/^features\//, '');
}

function shortUri(s: ScenarioRow): string {
  return `${shortUriOf(s.uri)}:${s.line}`;
}

/** ASCII only: anything else in feature or trace text becomes `?` (a mail client would mangle it anyway). */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => ({ '→': '->', '…': '...', '–': '-', '—': '-', '×': 'x', '’': "'", '“': '"', '”': '"' })[c] ?? '?');
}

/** One line, cut at TEXT_WIDTH with `...`. */
function clip(text: string): string {
  const t = ascii(text);
  return t.length <= TEXT_WIDTH ? t : `${t.slice(0, TEXT_WIDTH - 3)}...`;
}

/** Word-wrap `text` after `first`, continuing with `rest`; words longer than a line are cut. */
export function wrap(text: string, first: string, rest = first): string[] {
  const words = ascii(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = first;
  let empty = true;
  for (let w of words) {
    const indent = lines.length ? rest : first;
    while (w.length > TEXT_WIDTH - indent.length) {
      if (!empty) {
        lines.push(cur);
        cur = rest;
        empty = true;
      }
      const room = TEXT_WIDTH - cur.length;
      lines.push(cur + w.slice(0, room));
      w = w.slice(room);
      cur = rest;
    }
    if (!w) continue;
    if (!empty && cur.length + 1 + w.length > TEXT_WIDTH) {
      lines.push(cur);
      cur = rest;
      empty = true;
    }
    cur += (empty ? '' : ' ') + w;
    empty = false;
  }
  if (!empty || !lines.length) lines.push(cur.trimEnd());
  return lines;
}
