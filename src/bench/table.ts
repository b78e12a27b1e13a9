/**
 * The benchmark as text: one row per measurement (median, min-max, runs), then the ratios and
 * the targets, each marked met / NOT met / not measured.
 */
import type { BenchReport } from './run-bench';

const fmtMs = (v: number) => (!Number.isFinite(v) ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);
const fmtOps = (v: number) => (!Number.isFinite(v) ? '-' : `${Math.round(v).toLocaleString('en-US')}/s`);
const fmtMb = (v: number) => (!Number.isFinite(v) ? '-' : `${Math.round(v)} MB`);

export function formatReport(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    `apspec bench: ${r.suite.scenarios} scenarios (${r.suite.steps} steps, ${r.suite.features} features, ${r.suite.stepDefinitions} step definitions) x ${r.suite.policies} policies`,
  );
  lines.push(`${r.machine.nproc} CPUs (${r.machine.cpu}), Node ${r.machine.node}; ${r.options.warmup} warm-up + ${r.options.runs} runs each`);
  lines.push(`load average (1/5/15 min): ${r.machine.loadAtStart.join(' / ')} at the start, ${r.machine.loadAtEnd.join(' / ')} at the end`);
  lines.push('');
  const table = r.rows.map((row) => {
    const f = row.unit === 'ms' ? fmtMs : row.unit === 'MB' ? fmtMb : fmtOps;
    return [row.label, f(row.stats.median), `${f(row.stats.min)} - ${f(row.stats.max)}`, String(row.stats.samples.length), row.note ?? ''];
  });
  const head = ['measurement', 'median', 'min - max', 'n', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  lines.push(render(head));
  for (const t of table) lines.push(render(t));
  lines.push('');
  for (const row of r.rows) lines.push(`  ${row.label}: ${row.how}`);
  lines.push('');
  lines.push('Ratios (medians):');
  for (const [k, v] of Object.entries(r.ratios)) lines.push(`  ${k.padEnd(30)} ${v === null ? 'not measured' : `${v.toFixed(2)} x`}`);
  lines.push('');
  lines.push('Targets (value: median or ratio of medians; min - max):');
  for (const t of r.targets) {
    const verdict = t.value === 'not measured' ? 'not measured' : t.met === null ? 'reported    ' : t.met ? 'met         ' : 'NOT met     ';
    lines.push(`  ${verdict} ${t.what}: ${t.value} (${t.range}; target ${t.limit})`);
  }
  return `${lines.join('\n')}\n`;
}
