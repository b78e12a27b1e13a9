/**
 * The matrix as one self-contained HTML page (inline CSS and JS, no network): reviewers open it
 * from disk or a CI artifact.
 *
 * Feature text is written by whoever edits features/ (and the explorer's generated features), so
 * every piece of it is escaped: text and attributes with `esc`, the JSON island with `jsonForScript`,
 * and the script builds the details panel with `textContent` only. The table is rendered here, once,
 * after all runs; the script only filters it and shows one cell's details.
 */
import { classifyTraceLine } from './explain';
import { displayName, groupByFeature, isRequirement, summarize, SYMBOL } from './summary';
import { CELL_STATUSES, type MatrixReport } from './types';

export interface HtmlOptions {
  /** Relative link to the project's docs from where index.html is written. */
  readonly docsHref?: string;
}

export function renderHtml(report: MatrixReport, opts: HtmlOptions = {}): string {
  const docs = opts.docsHref ?? '../docs/';
  const policies = report.policies;
  const groups = groupByFeature(report);
  const { cellData, lines, traces, cellIndex } = buildData(report);

  const head = policies
    .map(
      (p) =>
        `<th class="pol" data-policy="${esc(p.id)}" title="${esc(p.rationale)}"><b>${esc(p.id)}</b><span class="ptitle">${esc(p.title)}</span><span class="psrc">${esc(p.source)}</span></th>`,
    )
    .join('');

  const bodies = groups
    .map((g) => {
      const f = g.rows[0];
      const header = `<tr class="feat"><th colspan="${policies.length + 1}"><span class="fname">${esc(f.feature)}</span> <code>${esc(g.uri)}</code>${f.featureTags
        .map((t) => ` <span class="tag">${esc(t)}</span>`)
        .join('')}${f.featureDescription ? `<div class="fdesc">${esc(f.featureDescription)}</div>` : ''}</th></tr>`;
      const rows = g.rows
        .map((s) => {
          const cells = policies
            .map((p) => {
              const c = s.results[p.id];
              if (!c) return `<td class="cell none" data-policy="${esc(p.id)}" data-status="">·</td>`;
              const k = cellIndex.get(`${s.id}\u0000${p.id}`)!;
              return `<td class="cell st-${c.status}" data-policy="${esc(p.id)}" data-status="${c.status}" data-k="${k}" tabindex="0" role="button">${SYMBOL[c.status]}<span class="w"> ${c.status}</span></td>`;
            })
            .join('');
          const tags = s.tags.filter((t) => !f.featureTags.includes(t));
          return `<tr class="scn${isRequirement(s) ? ' req' : ''}" data-uri="${esc(s.uri)}" data-tags="${esc(s.tags.join(' '))}"><th class="sname">${esc(displayName(s))}${tags
            .map((t) => ` <span class="tag">${esc(t)}</span>`)
            .join('')}<small>${esc(`${s.uri}:${s.line}`)}</small></th>${cells}</tr>`;
        })
        .join('\n');
      return `<tbody data-uri="${esc(g.uri)}">\n${header}\n${rows}\n</tbody>`;
    })
    .join('\n');

  const sums = summarize(report);
  // Only statuses some policy has: five columns of zeros would hide the two that matter.
  const present = CELL_STATUSES.filter((st) => st === 'passed' || st === 'failed' || sums.some((s) => s.counts[st] > 0));
  const summaryRows = sums
    .map(
      (s) =>
        `<tr><th>${esc(s.policy)}</th><td>requirements met <b>${s.requirementsMet}/${s.requirementsTotal}</b></td>${present.map(
          (st) => `<td class="${s.counts[st] ? `st-${st}` : 'zero'}">${s.counts[st]} ${st}</td>`,
        ).join('')}</tr>`,
    )
    .join('\n');

  const tags = [...new Set(report.scenarios.flatMap((s) => s.tags))].sort();
  const options = (values: readonly string[], labels?: readonly string[]) =>
    values.map((v, i) => `<option value="${esc(v)}">${esc(labels?.[i] ?? v)}</option>`).join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>apspec policy matrix</title>
<style>${CSS}</style></head>
<body>
<header><h1>apspec policy matrix</h1>
<nav>Docs: <a href="${esc(docs)}glossary.md">glossary</a> · <a href="${esc(docs)}thread.md">the thread</a> · <a href="${esc(docs)}steps.md">step catalogue</a> · <a href="${esc(docs)}writing-features.md">writing features</a> · <a href="${esc(docs)}writing-policies.md">writing policies</a> · <a href="policy-matrix.md">Markdown</a> · <a href="policy-matrix.json">JSON</a></nav>
<p class="legend">${CELL_STATUSES.map((s) => `<span class="st-${s}">${SYMBOL[s]} ${s}</span>`).join(' ')} — click a cell for its failing step, error and trace.</p></header>
<section id="summary"><h2>Per policy</h2><table class="sum">${summaryRows}</table></section>
<section id="filters"><h2>Matrix</h2>
<label>Feature <select id="f-feature"><option value="">all</option>${options(groups.map((g) => g.uri), groups.map((g) => `${g.rows[0].feature} (${g.uri})`))}</select></label>
<label>Tag <select id="f-tag"><option value="">all</option>${options(tags)}</select></label>
<label>Policy <select id="f-policy"><option value="">all</option>${options(policies.map((p) => p.id))}</select></label>
<label>Status <select id="f-status"><option value="">all</option>${options(CELL_STATUSES)}</select></label>
<span id="f-count"></span></section>
<table id="matrix"><thead><tr><th class="corner">scenario</th>${head}</tr></thead>
${bodies}
</table>
<aside id="panel" hidden aria-live="polite"><button id="panel-close" type="button" aria-label="close">×</button><h3 id="p-title"></h3>
<dl><dt>status</dt><dd id="p-status"></dd><dt>failing step</dt><dd id="p-step"></dd><dt>error</dt><dd><pre id="p-error"></pre></dd></dl>
<h4>trace</h4><ol id="p-trace" class="trace"></ol></aside>
${renderCoverage(report)}
<script type="application/json" id="apspec-data">${jsonForScript({ cells: cellData, lines, traces })}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** A branch taken by few scenarios is the interesting case (which ones?); long lists are noise. */
const FEW = 5;

function renderCoverage(report: MatrixReport): string {
  const names = new Map(report.scenarios.map((s) => [s.id, displayName(s)]));
  const sections = report.coverage.map((pc) => {
    const rows = pc.points.flatMap((p) =>
      p.branches.map((b, i) => {
        const never = b.scenarios.length === 0;
        // Taken, but only where the host ran the pre-4.20 KVM: on Linux 4.20 itself this branch is dead.
        const preOnly = !never && b.on420Kvm === 0;
        const who = b.scenarios.map((id) => `<li>${esc(names.get(id) ?? id)}</li>`).join('');
        const pointCells =
          i === 0
            ? `<td rowspan="${p.branches.length}"><code>${esc(p.point)}</code><small>${esc(p.fn)}</small></td><td rowspan="${p.branches.length}"><code>${esc(p.option)}</code>${p.isDefault ? ' <small>(4.20 default)</small>' : ''}</td>`
            : '';
        const taken = `${b.scenarios.length} scenario${b.scenarios.length === 1 ? '' : 's'}${preOnly ? ", <b>all on the pre-4.20 KVM: never on Linux 4.20's own</b>" : b.on420Kvm < b.scenarios.length ? ` (${b.on420Kvm} on Linux 4.20's KVM)` : ''}${b.scenarios.length <= FEW ? `<ul>${who}</ul>` : ''}`;
        return `<tr class="${never ? 'never' : preOnly ? 'never pre-kvm' : 'taken'}">${pointCells}<td>${esc(b.branch)}</td><td>${never ? '<b>never exercised</b>' : taken}</td></tr>`;
      }),
    );
    return `<h3>${esc(pc.policy)}</h3><table class="cov" data-policy="${esc(pc.policy)}"><thead><tr><th>decision point</th><th>option</th><th>branch</th><th>taken by</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  });
  return `<section id="coverage"><h2>Decision coverage</h2><p>For each policy, every branch its options can take, and how many scenarios took it. A branch no scenario takes is something the suite does not test; a branch taken only on the pre-4.20 KVM ("allocates a CRYCB only for guests with MSAX3") never fires on Linux 4.20's own KVM, where every VM has a CRYCB.</p>${sections.join('\n')}</section>`;
}

/**
 * Per-cell details for the panel. Traces repeat a lot (the same setup lines in every scenario,
 * the same scenario under most policies), so lines are stored once and traces as line indices;
 * this keeps the page a fraction of the JSON's size.
 */
function buildData(report: MatrixReport) {
  const lines: [string, string, string][] = [];
  const lineIds = new Map<string, number>();
  const traces: number[][] = [];
  const traceIds = new Map<string, number>();
  const cellIndex = new Map<string, number>();
  const cellData: { s: string; p: string; st: string; step?: string; err?: string; t?: number }[] = [];
  const lineId = (text: string): number => {
    let i = lineIds.get(text);
    if (i === undefined) {
      const l = classifyTraceLine(text);
      i = lines.push([l.layer, l.kind, l.text]) - 1;
      lineIds.set(text, i);
    }
    return i;
  };
  for (const s of report.scenarios) {
    for (const p of report.policies) {
      const c = s.results[p.id];
      if (!c) continue;
      let t: number | undefined;
      if (c.trace?.length) {
        const key = c.trace.join('\n');
        t = traceIds.get(key);
        if (t === undefined) {
          t = traces.push(c.trace.map(lineId)) - 1;
          traceIds.set(key, t);
        }
      }
      cellIndex.set(`${s.id}\u0000${p.id}`, cellData.length);
      cellData.push({ s: displayName(s), p: p.id, st: c.status, ...(c.failingStep ? { step: c.failingStep } : {}), ...(c.error ? { err: c.error } : {}), ...(t !== undefined ? { t } : {}) });
    }
  }
  return { cellData, lines, traces, cellIndex };
}

/** HTML-escape text for element content and quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that cannot end its <script> element early (`</script>`, `<!--`) or break JS parsing (U+2028). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--perr:#8250df;--undef:#9a6700;--skip:#6e7781;font:14px/1.4 system-ui,sans-serif;color:#1f2328}
body{margin:0 1rem 2rem}h1{margin:.6rem 0 .2rem;font-size:1.4rem}h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
nav a{margin:0 .2rem}.legend span{margin-right:.6rem}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.2rem .4rem;vertical-align:top}
#matrix th.pol{min-width:8rem;max-width:12rem;font-weight:normal;text-align:left;position:sticky;top:0;background:#f6f8fa}
#matrix th.pol b{display:block}.ptitle,.psrc{display:block;font-size:.75rem;color:#57606a}.psrc{font-style:italic}
#matrix th.corner{position:sticky;top:0;background:#f6f8fa}
tr.feat th{background:#eaeef2;text-align:left}.fdesc{white-space:pre-wrap;font-weight:normal;font-size:.8rem;color:#57606a}
th.sname{text-align:left;font-weight:normal;max-width:32rem}th.sname small{display:block;color:#6e7781}
tr.req th.sname{font-weight:600}
.tag{font-size:.7rem;background:#ddf4ff;border-radius:.6rem;padding:0 .35rem;color:#0969da;font-weight:normal}
td.cell{text-align:center;cursor:pointer;white-space:nowrap}td.cell:focus,td.cell.sel{outline:2px solid #0969da}
td.cell .w{font-size:.75rem}
.st-passed{color:var(--pass)}td.st-passed{background:#dafbe1}.st-failed{color:var(--fail)}td.st-failed{background:#ffebe9}
.st-policy-error{color:var(--perr)}td.st-policy-error{background:#fbefff}.st-undefined,.st-ambiguous,.st-pending{color:var(--undef)}
td.st-undefined,td.st-ambiguous,td.st-pending{background:#fff8c5}.st-skipped{color:var(--skip)}td.st-skipped{background:#f6f8fa}
.sum td.zero{color:#afb8c1}
#filters label{margin-right:1rem;white-space:nowrap}#filters select{max-width:22rem}#f-count{color:#57606a}
#panel{position:fixed;right:0;top:0;bottom:0;width:min(48rem,55vw);overflow:auto;background:#fff;border-left:2px solid #0969da;padding:.6rem 1rem;box-shadow:-4px 0 12px #0002}
#panel-close{float:right;font-size:1.2rem}#panel dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .8rem}#panel dt{color:#57606a}#panel dd{margin:0}
#p-error{white-space:pre-wrap;margin:0;color:var(--fail)}
ol.trace{font:12px/1.45 ui-monospace,monospace;padding-left:3rem}ol.trace li{white-space:pre-wrap;border-left:4px solid #d0d7de;padding-left:.4rem}
.l-firmware{border-color:#8c959f!important}.l-ap-bus{border-color:#0969da!important}.l-kvm{border-color:#bf8700!important}
.l-vfio-ap{border-color:#8250df!important}.l-vfio{border-color:#a475f9!important}.l-qemu{border-color:#1a7f37!important}
.l-vmm{border-color:#4ac26b!important}.l-guest{border-color:#bc4c00!important}
.k-decision{background:#fff8c5;font-weight:600}.k-oops{background:#ffebe9;color:var(--fail);font-weight:700}.k-vm-event{color:#6e5000}
.cov{margin-bottom:.8rem}.cov small{display:block;color:#6e7781}.cov tr.never td{background:#fff8c5}.cov tr.never b{color:var(--fail)}
.hidden{display:none}
`;

// Plain ES2017 so any browser runs it; reads only the JSON island and the table's data attributes.
const SCRIPT = `
(function(){
  var data = JSON.parse(document.getElementById('apspec-data').textContent);
  var panel = document.getElementById('panel');
  var table = document.getElementById('matrix');
  var selected = null;
  function text(id, value){ document.getElementById(id).textContent = value || '—'; }
  function show(td){
    var c = data.cells[Number(td.getAttribute('data-k'))];
    if (selected) selected.classList.remove('sel');
    selected = td; td.classList.add('sel');
    text('p-title', c.s + ' — under ' + c.p);
    text('p-status', c.st); text('p-step', c.step); text('p-error', c.err);
    var ol = document.getElementById('p-trace');
    ol.textContent = '';
    var ids = c.t === undefined ? [] : data.traces[c.t];
    if (!ids.length) { var li = document.createElement('li'); li.textContent = '(no trace attached)'; ol.appendChild(li); }
    ids.forEach(function(i){
      var l = data.lines[i];
      var li = document.createElement('li');
      li.className = 'l-' + l[0] + ' k-' + l[1];
      li.textContent = l[2];
      ol.appendChild(li);
    });
    panel.hidden = false;
  }
  table.addEventListener('click', function(e){ var td = e.target.closest('td[data-k]'); if (td) show(td); });
  table.addEventListener('keydown', function(e){ if ((e.key === 'Enter' || e.key === ' ') && e.target.matches('td[data-k]')) { e.preventDefault(); show(e.target); } });
  document.getElementById('panel-close').addEventListener('click', function(){ panel.hidden = true; });
  document.addEventListener('keydown', function(e){ if (e.key === 'Escape') panel.hidden = true; });
  var sel = { feature: document.getElementById('f-feature'), tag: document.getElementById('f-tag'), policy: document.getElementById('f-policy'), status: document.getElementById('f-status') };
  function apply(){
    var f = sel.feature.value, t = sel.tag.value, p = sel.policy.value, st = sel.status.value, shown = 0;
    table.querySelectorAll('[data-policy]').forEach(function(el){ el.classList.toggle('hidden', !!p && el.getAttribute('data-policy') !== p); });
    table.querySelectorAll('tbody').forEach(function(tb){
      var any = false;
      tb.querySelectorAll('tr.scn').forEach(function(tr){
        var ok = (!f || tr.getAttribute('data-uri') === f) && (!t || tr.getAttribute('data-tags').split(' ').indexOf(t) >= 0);
        if (ok && st) ok = Array.prototype.some.call(tr.querySelectorAll('td.cell'), function(td){ return !td.classList.contains('hidden') && td.getAttribute('data-status') === st; });
        tr.classList.toggle('hidden', !ok);
        if (ok) { any = true; shown++; }
      });
      tb.classList.toggle('hidden', !any);
    });
    document.querySelectorAll('#coverage .cov, #coverage h3').forEach(function(el){
      var id = el.tagName === 'H3' ? el.textContent : el.getAttribute('data-policy');
      el.classList.toggle('hidden', !!p && id !== p);
    });
    document.getElementById('f-count').textContent = shown + ' scenario' + (shown === 1 ? '' : 's') + ' shown';
  }
  Object.keys(sel).forEach(function(k){ sel[k].addEventListener('change', apply); });
  apply();
})();
`;
