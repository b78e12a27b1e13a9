/**
 * The matrix as one self-contained HTML page (inline CSS and JS, no network): reviewers open it
 * from disk or a CI artifact.
 *
 * Answers first: the thread's requirement table and the history table (requirement x policy, each
 * cell a link to its scenario's panel), the requirements each policy meets, what each policy with
 * a base changes, the findings; then the full matrix with filters, and decision coverage.
 *
 * Feature, policy and merged text is untrusted, so every piece of it is escaped: text and
 * attributes with `esc`, the JSON island with `jsonForScript`, and the script builds the panel with
 * `textContent` only. Every cell and filter state has a URL fragment (`#cell=<policy>:<uri>:<line>`,
 * `&status=failed` ...), so a link in a mail reopens it.
 */
import type { TraceEvent } from '../sim/trace';
import { neverExercised } from './coverage';
import { changesFromBase, nameAfterLabel, requirementCell, requirementLabel, requirementsOf, sectionOf, tablePolicies, type Requirement } from './sections';
import { decisiveEvents, failingStepIndex } from './story';
import { displayName, groupByFeature, statusWords, summarize, SYMBOL } from './summary';
import { CELL_STATUSES, type Cell, type MatrixReport, type PolicyInfo, type ScenarioRow } from './types';

export interface HtmlOptions {
  /** Relative link to the project's docs from where index.html is written. */
  readonly docsHref?: string;
  /**
   * A notice at the very top of the page, e.g. that this is a partial run (some policies, tags or
   * features) and where the full report is. Plain text; escaped like everything else.
   */
  readonly notice?: string;
}

/** The fragment key of a cell: `<policy>:<scenario id>`. */
export function cellKey(policy: string, scenarioId: string): string {
  return `${policy}:${scenarioId}`;
}

export function renderHtml(report: MatrixReport, opts: HtmlOptions = {}): string {
  const docs = opts.docsHref ?? '../docs/';
  const policies = report.policies;
  const groups = groupByFeature(report);
  const data = buildData(report);
  const changes = changesFromBase(report);
  const changed = new Set(changes.flatMap((c) => c.changes.map((x) => cellKey(x.policy, x.scenario.id))));
  const changeCount = new Map(changes.map((c) => [c.policy.id, c.changes.length]));

  const head = policies
    .map((p) => {
      const n = changeCount.get(p.id);
      // Short enough for eleven columns at 1400 px; the link's title says it in words.
      const base =
        p.base !== undefined
          ? `<a class="pbase" href="#changes-${esc(p.id)}" title="${esc(n === undefined ? `built on ${p.base}, which this report did not run` : `${n} verdict${n === 1 ? '' : 's'} differ from ${p.base}`)}">${n === undefined ? `on ${esc(p.base)}` : `Δ${n} vs ${esc(p.base)}`}</a>`
          : '<span class="pbase">release</span>';
      return `<th class="pol" scope="col" data-policy="${esc(p.id)}" title="${esc(`${p.title}\n${p.source}\n\n${p.rationale}`)}"><b>${esc(p.id)}</b>${base}</th>`;
    })
    .join('');

  const bodies = groups
    .map((g) => {
      const f = g.rows[0];
      const header = `<tr class="feat"><th class="fcell" scope="rowgroup"><span class="fname">${esc(f.feature)}</span> <code>${esc(g.uri)}</code>${f.featureTags
        .map((t) => ` <span class="tag">${esc(t)}</span>`)
        .join('')}</th><td class="fpad" colspan="${policies.length}"></td></tr>`;
      const rows = g.rows
        .map((s) => {
          const cells = policies
            .map((p) => {
              const c = s.results[p.id];
              if (!c) return `<td class="cell none" data-policy="${esc(p.id)}" data-status="">·</td>`;
              const key = cellKey(p.id, s.id);
              const diff = changed.has(key) ? ' diff' : '';
              return `<td class="cell st-${esc(c.status)}${diff}" data-policy="${esc(p.id)}" data-status="${esc(c.status)}" data-key="${esc(key)}" tabindex="0" role="button" title="${esc(tooltip(s, p, c, diff !== ''))}">${esc(SYMBOL[c.status] ?? '?')}</td>`;
            })
            .join('');
          const tags = s.tags.filter((t) => !f.featureTags.includes(t));
          return `<tr class="scn sec-${sectionOf(s)}" data-uri="${esc(s.uri)}" data-tags="${esc(s.tags.join(' '))}"><th class="sname" scope="row">${esc(displayName(s))}${tags
            .map((t) => ` <span class="tag">${esc(t)}</span>`)
            .join('')}<small>${esc(s.id)}</small></th>${cells}</tr>`;
        })
        .join('\n');
      return `<tbody data-uri="${esc(g.uri)}">\n${header}\n${rows}\n</tbody>`;
    })
    .join('\n');

  const tags = [...new Set(report.scenarios.flatMap((s) => s.tags))].sort();
  const options = (values: readonly string[], labels?: readonly string[]) =>
    values.map((v, i) => `<option value="${esc(v)}">${esc(labels?.[i] ?? v)}</option>`).join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>apspec policy matrix</title>
<style>${CSS}</style></head>
<body>
<header>${opts.notice ? `<p id="notice" role="status">${esc(opts.notice)}</p>` : ''}<h1>apspec policy matrix</h1>
<p class="sub">${report.scenarios.length} scenarios × ${policies.length} policies · ${CELL_STATUSES.map((s) => `<span class="st-${s}">${esc(SYMBOL[s])} ${esc(statusWords(s))}</span>`).join(' ')} · click a cell for its story</p>
<nav>Docs: <a href="${esc(docs)}glossary.md">glossary</a> · <a href="${esc(docs)}thread.md">the thread</a> · <a href="${esc(docs)}steps.md">step catalogue</a> · <a href="${esc(docs)}writing-features.md">writing features</a> · <a href="${esc(docs)}writing-policies.md">writing policies</a> · <a href="policy-matrix.txt">text</a> · <a href="policy-matrix.md">Markdown</a> · <a href="policy-matrix.json">JSON</a></nav></header>
<main>
${renderAnswers(report)}
${renderChanges(changes)}
${renderFindings(report)}
${renderTotals(report)}
<section id="all"><h2>Every scenario</h2>
<div id="filters">
<label>Feature <select id="f-feature"><option value="">all</option>${options(groups.map((g) => g.uri), groups.map((g) => `${g.rows[0].feature} (${g.uri})`))}</select></label>
<label>Tag <select id="f-tag"><option value="">all</option>${options(tags)}</select></label>
<label>Policy <select id="f-policy"><option value="">all</option>${options(policies.map((p) => p.id))}</select></label>
<label>Status <select id="f-status"><option value="">all</option>${options(CELL_STATUSES, CELL_STATUSES.map(statusWords))}<option value="diff">differs from base</option></select></label>
<span id="f-count"></span> <a id="f-link" href="#">link to this view</a></div>
<div class="mbox"><table id="matrix"><thead><tr><th class="corner" scope="col">scenario</th>${head}</tr></thead>
${bodies}
</table></div></section>
${renderCoverage(report)}
</main>
<aside id="panel" hidden aria-label="cell details"><button id="panel-close" type="button" aria-label="close (Esc)">×</button>
<h3 id="p-title"></h3><p id="p-where"></p><p id="p-verdict"></p>
<div id="p-decisive"></div><pre id="p-error"></pre>
<label id="p-compare-l" hidden><input type="checkbox" id="p-compare"> <span id="p-compare-t"></span></label>
<div id="p-story"></div></aside>
<script type="application/json" id="apspec-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** The cell's tooltip: the verdict in words, and why when it is skipped or not applicable. */
function tooltip(s: ScenarioRow, p: PolicyInfo, c: Cell, diff: boolean): string {
  const why = c.reason ? `: ${c.reason}` : c.failingStep ? ` at: ${c.failingStep}` : '';
  return `${displayName(s)}\nunder ${p.id}: ${statusWords(c.status)}${why}${diff ? `\n(differs from ${p.base})` : ''}`;
}

/** Requirement tables: the thread's and the history's, each cell a link to its deciding scenario. */
function renderAnswers(report: MatrixReport): string {
  const parts: string[] = [];
  for (const [section, title, empty] of [
    ['thread', 'The 2018 thread: requirements × candidate policies', 'No thread requirements (features/thread/, @thread) in this run.'],
    ['history', 'Kernel history: requirements × releases', 'No history requirements (features/history/, @history) in this run.'],
  ] as const) {
    const reqs = requirementsOf(report, section);
    const cols = tablePolicies(report, section);
    parts.push(`<div class="answer" id="t-${section}"><h2>${title}</h2>${reqs.length && cols.length ? requirementTable(reqs, cols) : `<p class="empty">${empty}</p>`}</div>`);
  }
  const sums = summarize(report).filter((s) => s.met.length + s.missed.length > 0);
  const met = sums.length
    ? `<p class="met"><b>Requirements met:</b> ${sums
        .map((s) => `<span><b>${esc(s.policy)}</b> ${s.met.length ? esc(s.met.join(' ')) : 'none'}${s.missed.length ? ` <i>(misses ${esc(s.missed.join(' '))})</i>` : ''}</span>`)
        .join(' · ')}</p>`
    : '';
  return `<section id="answers"><div class="answers">${parts.join('')}</div>${met}</section>`;
}

function requirementTable(reqs: readonly Requirement[], cols: readonly PolicyInfo[]): string {
  const head = cols.map((p) => `<th scope="col" title="${esc(p.title)}">${esc(p.id)}</th>`).join('');
  const rows = reqs
    .map((r) => {
      const name = `<b>${esc(requirementLabel(r))}</b> ${esc(nameAfterLabel(r))}`;
      const cells = cols
        .map((p) => {
          const rc = requirementCell(r, p.id);
          if (!rc) return '<td class="none">·</td>';
          const why = rc.cell.reason ? `: ${rc.cell.reason}` : rc.cell.failingStep ? ` at: ${rc.cell.failingStep}` : '';
          return `<td class="st-${esc(rc.status)}"><a class="rcell" href="#cell=${esc(encodeURIComponent(cellKey(p.id, rc.scenario.id)))}" data-key="${esc(cellKey(p.id, rc.scenario.id))}" title="${esc(`${r.name} under ${p.id}: ${statusWords(rc.status)}${why}`)}">${esc(SYMBOL[rc.status])}</a></td>`;
        })
        .join('');
      return `<tr><th scope="row" class="rname" title="${esc(r.uri)}">${name}</th>${cells}</tr>`;
    })
    .join('');
  return `<div class="tbox"><table class="req"><thead><tr><th scope="col">requirement</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function renderChanges(changes: ReturnType<typeof changesFromBase>): string {
  if (!changes.length) return '';
  const items = changes
    .map(({ policy, base, changes: list }) => {
      const lis = list
        .map(
          (c) =>
            `<li><a href="#cell=${esc(encodeURIComponent(cellKey(c.policy, c.scenario.id)))}" data-key="${esc(cellKey(c.policy, c.scenario.id))}"><span class="st-${esc(c.status)}">${esc(SYMBOL[c.status])} ${esc(statusWords(c.status))}</span> (${esc(base)}: <span class="st-${esc(c.baseStatus)}">${esc(statusWords(c.baseStatus))}</span>) ${esc(displayName(c.scenario))}</a> <small>${esc(c.scenario.id)}</small></li>`,
        )
        .join('');
      return `<details id="changes-${esc(policy.id)}"${list.length && list.length <= 6 ? ' open' : ''}><summary><b>${esc(policy.id)}</b> on ${esc(base)}: ${list.length ? `${list.length} verdict${list.length === 1 ? '' : 's'} differ` : 'no verdict differs'}</summary><ul>${lis}</ul></details>`;
    })
    .join('');
  return `<section id="changes"><h2>What each policy changes against its base</h2>${items}</section>`;
}

function renderFindings(report: MatrixReport): string {
  const findings = requirementsOf(report, 'finding');
  if (!findings.length) return '';
  return `<section id="findings"><h2>Findings</h2><p class="note">Defects of the kernel as merged (features/findings/, @finding): expected to fail under every policy, and not counted against any.</p>${requirementTable(findings, report.policies)}</section>`;
}

function renderTotals(report: MatrixReport): string {
  const sums = summarize(report);
  const present = CELL_STATUSES.filter((st) => st === 'passed' || st === 'failed' || sums.some((s) => s.counts[st] > 0));
  const rows = sums
    .map((s) => `<tr><th scope="row">${esc(s.policy)}</th>${present.map((st) => `<td class="${s.counts[st] ? `st-${st}` : 'zero'}">${s.counts[st]}</td>`).join('')}</tr>`)
    .join('');
  return `<section id="summary"><h2>Cells per policy <small>(findings excluded)</small></h2><div class="tbox"><table class="sum"><thead><tr><th scope="col">policy</th>${present.map((st) => `<th scope="col">${esc(statusWords(st))}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div></section>`;
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
            ? `<td rowspan="${p.branches.length}"><code>${esc(p.point)}</code><small>${esc(p.fn)}</small></td><td rowspan="${p.branches.length}"><code>${esc(p.option)}</code>${p.isDefault ? ' <small>(inherited)</small>' : ''}</td>`
            : '';
        const taken = `${b.scenarios.length} scenario${b.scenarios.length === 1 ? '' : 's'}${preOnly ? ", <b>all on the pre-4.20 KVM: never on Linux 4.20's own</b>" : b.on420Kvm < b.scenarios.length ? ` (${b.on420Kvm} on Linux 4.20's KVM)` : ''}${b.scenarios.length <= FEW ? `<ul>${who}</ul>` : ''}`;
        return `<tr class="${never ? 'never' : preOnly ? 'never pre-kvm' : 'taken'}">${pointCells}<td>${esc(b.branch)}</td><td>${never ? '<b>never exercised</b>' : taken}</td></tr>`;
      }),
    );
    return `<details class="covp" data-policy="${esc(pc.policy)}"><summary>${esc(pc.policy)}</summary><div class="tbox"><table class="cov" data-policy="${esc(pc.policy)}"><thead><tr><th>decision point</th><th>option</th><th>branch</th><th>taken by</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
  });
  const never = neverExercised(report.coverage).length;
  return `<section id="coverage"><h2>Decision coverage</h2><p>For each policy, every branch its options can take, and how many scenarios took it (${never} never exercised). A branch no scenario takes is something the suite does not test; a branch taken only on the pre-4.20 KVM ("allocates a CRYCB only for guests with MSAX3") never fires on Linux 4.20's own KVM, where every VM has a CRYCB.</p>${sections.join('\n')}</section>`;
}

/**
 * Per-cell data for the panel. Traces repeat a lot (the same setup events in every scenario, the
 * same scenario under most policies), so events are stored once and steps as event indices.
 * An event is `[type, layer, fn, detail, outcome, extra]`: extra is `point = option -> branch` for a
 * decision, the VM for a VM event.
 */
function buildData(report: MatrixReport) {
  const events: string[][] = [];
  const eventIds = new Map<string, number>();
  const eventId = (e: TraceEvent): number => {
    const tuple = [e.type, e.layer, e.fn, e.detail, e.outcome, e.type === 'decision' ? `${e.point} = ${e.option} -> ${e.branch}` : e.type === 'vm-event' ? e.vm : ''];
    if (e.type === 'decision') tuple.push(e.branch);
    const key = tuple.join('\u0000');
    let i = eventIds.get(key);
    if (i === undefined) {
      i = events.push(tuple) - 1;
      eventIds.set(key, i);
    }
    return i;
  };
  const rows = report.scenarios.map((s) => ({ n: displayName(s), id: s.id, steps: s.steps }));
  const pols = report.policies.map((p) => ({ id: p.id, title: p.title, ...(p.base !== undefined ? { base: p.base } : {}) }));
  const cells: Record<string, unknown> = {};
  report.scenarios.forEach((s, r) => {
    report.policies.forEach((p, pi) => {
      const c = s.results[p.id];
      if (!c) return;
      const base = p.base !== undefined ? s.results[p.base] : undefined;
      const interesting = c.status !== 'passed' || (base !== undefined && base.status !== c.status);
      const decisive = interesting ? decisiveEvents(c, base) : [];
      cells[cellKey(p.id, s.id)] = {
        r,
        p: pi,
        st: c.status,
        ...(c.reason ? { why: c.reason } : {}),
        ...(c.failingStep ? { step: c.failingStep } : {}),
        ...(c.error ? { err: c.error } : {}),
        ...(c.steps ? { steps: c.steps.map((st) => [st.status, st.events.map(eventId)]) } : {}),
        ...(decisive.length ? { d: decisive } : {}),
        f: failingStepIndex(c),
      };
    });
  });
  return { rows, pols, cells, events };
}

/** HTML-escape text for element content and quoted attribute values. */
export function esc(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that cannot end its <script> element early (`</script>`, `<!--`) or break JS parsing (U+2028). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--perr:#8250df;--undef:#9a6700;--skip:#6e7781;--na:#57606a;font:14px/1.4 system-ui,sans-serif;color:#1f2328}
*{box-sizing:border-box}
body{margin:0 1rem 2rem;max-width:100%}h1{margin:.6rem 0 .1rem;font-size:1.4rem}h2{font-size:1.05rem;margin:1rem 0 .35rem}
#notice{margin:.4rem 0 0;padding:.3rem .6rem;background:#fff8c5;border:1px solid #d4a72c;border-radius:4px;font-weight:600}
.sub{margin:.1rem 0;color:#57606a}.sub span{margin-right:.4rem;white-space:nowrap}nav{color:#57606a}nav a{margin:0 .15rem}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.2rem .4rem;vertical-align:top}
.tbox{max-width:100%;overflow-x:auto}
.answers{display:flex;flex-wrap:wrap;gap:0 2rem}.answer{min-width:0;max-width:100%}
table.req th,table.req td{text-align:center}table.req th.rname{text-align:left;font-weight:normal;max-width:26rem}
table.req a.rcell{display:block;min-width:2.2rem;text-decoration:none;color:inherit;font-weight:600}
table.req a.rcell:focus{outline:2px solid #0969da}
.met span{white-space:nowrap;margin-right:.2rem}.met i{color:var(--fail);font-style:normal}
.empty,.note{color:#57606a}
#changes details{margin:.15rem 0}#changes ul{margin:.2rem 0 .4rem;padding-left:1.4rem}#changes a{color:inherit}#changes small{color:#6e7781}
.mbox{max-width:100%;max-height:85vh;overflow:auto;border:1px solid #d0d7de}
#matrix{border-collapse:separate;border-spacing:0}#matrix th,#matrix td{border-width:0 1px 1px 0}
#matrix thead th{position:sticky;top:0;background:#f6f8fa;z-index:2}
#matrix th.pol{min-width:4rem;max-width:7rem;font-weight:normal;text-align:center;font-size:.85rem}
#matrix th.pol b{display:block}.pbase{display:block;font-size:.7rem;color:#57606a}
#matrix th.corner{left:0;z-index:3;text-align:left}
#matrix th.sname,#matrix th.fcell{position:sticky;left:0;z-index:1;background:#fff;text-align:left;font-weight:normal;min-width:11rem;max-width:20rem}
#matrix th.fcell{background:#eaeef2}tr.feat td{background:#eaeef2}
th.sname small{display:block;color:#6e7781;overflow-wrap:anywhere}
tr.sec-thread th.sname,tr.sec-history th.sname{font-weight:600}
.tag{font-size:.7rem;background:#ddf4ff;border-radius:.6rem;padding:0 .35rem;color:#0969da;font-weight:normal}
td.cell{text-align:center;cursor:pointer;white-space:nowrap;min-width:3rem}td.cell:focus,td.cell.sel{outline:2px solid #0969da;outline-offset:-2px}
td.cell.diff{box-shadow:inset 0 -3px 0 #0969da}
.st-passed{color:var(--pass)}td.st-passed{background:#dafbe1}.st-failed{color:var(--fail)}td.st-failed{background:#ffebe9}
.st-policy-error{color:var(--perr)}td.st-policy-error{background:#fbefff}.st-undefined,.st-ambiguous,.st-pending{color:var(--undef)}
td.st-undefined,td.st-ambiguous,td.st-pending{background:#fff8c5}.st-skipped{color:var(--skip)}td.st-skipped{background:#f6f8fa}
.st-not-applicable{color:var(--na);font-style:italic}td.st-not-applicable{background:repeating-linear-gradient(135deg,#f6f8fa 0 6px,#eaeef2 6px 8px)}
.sum td{text-align:right}.sum td.zero{color:#afb8c1}
#filters{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:center;margin-bottom:.4rem}#filters select{max-width:16rem}#f-count{color:#57606a}
#panel{position:fixed;right:0;top:0;bottom:0;width:min(52rem,60vw);overflow:auto;background:#fff;border-left:2px solid #0969da;padding:.6rem 1rem;box-shadow:-4px 0 12px #0002;z-index:10}
@media (max-width:900px){#panel{width:100vw;border-left:0}}
#panel-close{float:right;font-size:1.3rem;line-height:1;padding:.1rem .5rem}#p-title{margin:.2rem 0;overflow-wrap:anywhere}#p-where{margin:0;color:#57606a;overflow-wrap:anywhere}
#p-verdict{margin:.3rem 0;font-weight:600}
#p-error{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0;color:var(--fail);font:12px/1.45 ui-monospace,monospace}#p-error:empty{display:none}
.decisive{border:2px solid var(--fail);border-radius:4px;padding:.2rem .5rem;margin:.4rem 0}.decisive li{color:var(--fail)!important;font-weight:600}.decisive h4{margin:.1rem 0;font-size:.85rem}
.story{display:grid;grid-template-columns:1fr;gap:.8rem}.story.two{grid-template-columns:1fr 1fr}@media (max-width:900px){.story.two{grid-template-columns:1fr}}
.story h4{margin:.2rem 0;font-size:.85rem;color:#57606a}
ol.steps{padding-left:1.6rem;margin:0}ol.steps>li{margin:.15rem 0}ol.steps>li>.st{font-weight:600;overflow-wrap:anywhere}
li.s-failed>.st,li.s-undefined>.st,li.s-ambiguous>.st,li.s-pending>.st{color:var(--fail)}li.s-skipped>.st,li.s-unknown>.st{color:var(--skip);font-weight:normal}
li.here{background:#ffebe9;border-radius:3px}li.here>.st::after{content:" ← the scenario stops here";font-weight:normal;color:var(--fail)}
ul.ev{list-style:none;padding-left:.6rem;margin:.1rem 0;font:12px/1.45 ui-monospace,monospace}
ul.ev li{white-space:pre-wrap;overflow-wrap:anywhere;border-left:4px solid #d0d7de;padding-left:.4rem;color:#424a53}
.ly{display:inline-block;min-width:4.5rem;color:#6e7781}
.e-decision.b-accept{color:#6e7781}.e-decision.b-reject{color:var(--fail)}.e-decision.b-taken{color:#6e5000}
.e-oops{color:var(--fail);font-weight:700}.e-vm-event{color:#6e5000}ul.ev li.e-key{background:#ffebe9;color:var(--fail);font-weight:700}
.l-firmware{border-color:#8c959f!important}.l-ap-bus{border-color:#0969da!important}.l-kvm{border-color:#bf8700!important}
.l-vfio-ap{border-color:#8250df!important}.l-vfio{border-color:#a475f9!important}.l-qemu{border-color:#1a7f37!important}
.l-vmm{border-color:#4ac26b!important}.l-guest{border-color:#bc4c00!important}
.covp summary{cursor:pointer}.cov{margin-bottom:.8rem}.cov small{display:block;color:#6e7781}.cov tr.never td{background:#fff8c5}.cov tr.never b{color:var(--fail)}
.hidden{display:none}
`;

// Plain ES2017 so any browser runs it; reads only the JSON island and the table's data attributes,
// and writes text with textContent only.
const SCRIPT = `
(function(){
  var data = JSON.parse(document.getElementById('apspec-data').textContent);
  var panel = document.getElementById('panel');
  var table = document.getElementById('matrix');
  var selected = null, current = null;
  var WORDS = { 'not-applicable': 'not applicable', 'policy-error': 'policy error' };
  function words(st){ return WORDS[st] || st; }
  function el(tag, cls, text){ var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function eventNode(i, key){
    var ev = data.events[i], li = el('li', 'e-' + ev[0] + ' l-' + ev[1] + (ev[6] ? ' b-' + ev[6] : '') + (key ? ' e-key' : ''));
    li.appendChild(el('span', 'ly', '[' + ev[1] + '] '));
    var t;
    if (ev[0] === 'call') t = ev[2] + '(' + ev[3] + ') -> ' + ev[4];
    else if (ev[0] === 'decision') t = ev[2] + ': decision ' + ev[5] + (ev[3] ? ' (' + ev[3] + ')' : '') + (ev[4] ? ' -> ' + ev[4] : '');
    else if (ev[0] === 'vm-event') t = 'VM_EVENT ' + ev[5] + ': ' + ev[3] + (ev[4] ? ' -> ' + ev[4] : '') + ' (' + ev[2] + ')';
    else t = 'OOPS in ' + ev[2] + ': ' + ev[3];
    li.appendChild(document.createTextNode(t));
    return li;
  }
  function story(c, row, heading){
    var box = el('div');
    if (heading) box.appendChild(el('h4', '', heading));
    var ol = el('ol', 'steps'), k = 0, d = {};
    (c.d || []).forEach(function(i){ d[i] = true; });
    row.steps.forEach(function(text, i){
      var s = c.steps ? c.steps[i] : null, st = s ? s[0] : 'skipped';
      var li = el('li', 's-' + st + (i === c.f ? ' here' : ''));
      li.appendChild(el('div', 'st', text + (st !== 'passed' ? '  [' + st + ']' : '')));
      if (s && s[1].length) { var ul = el('ul', 'ev'); s[1].forEach(function(e){ ul.appendChild(eventNode(e, d[k++])); }); li.appendChild(ul); }
      ol.appendChild(li);
    });
    if (!c.steps) ol.appendChild(el('li', '', '(the scenario attached no steps: it did not start)'));
    box.appendChild(ol);
    return box;
  }
  function allEvents(c){ var out = []; (c.steps || []).forEach(function(s){ out = out.concat(s[1]); }); return out; }
  function render(){
    var c = data.cells[current], row = data.rows[c.r], pol = data.pols[c.p];
    document.getElementById('p-title').textContent = row.n;
    document.getElementById('p-where').textContent = row.id + ' · under ' + pol.id + ' (' + pol.title + ')';
    document.getElementById('p-verdict').textContent = words(c.st) + (c.why ? ': ' + c.why : '') + (c.step ? ' at: ' + c.step : '');
    document.getElementById('p-verdict').className = 'st-' + c.st;
    document.getElementById('p-error').textContent = c.err || '';
    var dec = document.getElementById('p-decisive'); dec.textContent = '';
    if (c.d && c.d.length) {
      var box = el('div', 'decisive'), evs = allEvents(c), ul = el('ul', 'ev');
      box.appendChild(el('h4', '', 'Decisive'));
      c.d.forEach(function(i){ ul.appendChild(eventNode(evs[i])); });
      box.appendChild(ul); dec.appendChild(box);
    }
    var baseKey = pol.base !== undefined ? pol.base + ':' + row.id : null, base = baseKey && data.cells[baseKey];
    var lab = document.getElementById('p-compare-l'), cb = document.getElementById('p-compare');
    lab.hidden = !base;
    if (base) document.getElementById('p-compare-t').textContent = 'side by side with ' + pol.base + ' (' + words(base.st) + ')';
    var out = document.getElementById('p-story'); out.textContent = '';
    var two = base && cb.checked;
    out.className = 'story' + (two ? ' two' : '');
    out.appendChild(story(c, row, two ? 'under ' + pol.id + ': ' + words(c.st) : 'steps and the events each caused'));
    if (two) out.appendChild(story(base, row, 'under ' + pol.base + ': ' + words(base.st)));
  }
  function open(key, focus){
    if (!data.cells[key]) return false;
    current = key;
    if (selected) selected.classList.remove('sel');
    selected = table.querySelector('td[data-key="' + CSS.escape(key) + '"]');
    if (selected) selected.classList.add('sel');
    render();
    panel.hidden = false;
    if (focus) document.getElementById('panel-close').focus();
    return true;
  }
  function close(){
    panel.hidden = true; current = null;
    if (selected) { selected.classList.remove('sel'); selected.focus(); }
    writeHash();
  }
  var sel = { feature: document.getElementById('f-feature'), tag: document.getElementById('f-tag'), policy: document.getElementById('f-policy'), status: document.getElementById('f-status') };
  function apply(){
    var f = sel.feature.value, t = sel.tag.value, p = sel.policy.value, st = sel.status.value, shown = 0;
    table.querySelectorAll('[data-policy]').forEach(function(e){ e.classList.toggle('hidden', !!p && e.getAttribute('data-policy') !== p); });
    table.querySelectorAll('tbody').forEach(function(tb){
      var any = false;
      tb.querySelectorAll('tr.scn').forEach(function(tr){
        var ok = (!f || tr.getAttribute('data-uri') === f) && (!t || tr.getAttribute('data-tags').split(' ').indexOf(t) >= 0);
        if (ok && st) ok = Array.prototype.some.call(tr.querySelectorAll('td.cell'), function(td){ return !td.classList.contains('hidden') && (st === 'diff' ? td.classList.contains('diff') : td.getAttribute('data-status') === st); });
        tr.classList.toggle('hidden', !ok);
        if (ok) { any = true; shown++; }
      });
      tb.classList.toggle('hidden', !any);
    });
    document.querySelectorAll('#coverage .covp').forEach(function(e){ e.classList.toggle('hidden', !!p && e.getAttribute('data-policy') !== p); });
    document.getElementById('f-count').textContent = shown + ' scenario' + (shown === 1 ? '' : 's') + ' shown';
  }
  function hashState(){
    var q = new URLSearchParams(location.hash.replace(/^#/, ''));
    return q;
  }
  function writeHash(){
    var q = new URLSearchParams();
    Object.keys(sel).forEach(function(k){ if (sel[k].value) q.set(k, sel[k].value); });
    if (current) q.set('cell', current);
    var h = q.toString();
    document.getElementById('f-link').setAttribute('href', '#' + h);
    if (location.hash.replace(/^#/, '') !== h) history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
  }
  function readHash(){
    var q = hashState();
    Object.keys(sel).forEach(function(k){
      var v = q.get(k) || '';
      if (Array.prototype.some.call(sel[k].options, function(o){ return o.value === v; })) sel[k].value = v;
    });
    apply();
    var key = q.get('cell');
    if (key && open(key, false)) { if (selected) selected.scrollIntoView({ block: 'nearest', inline: 'nearest' }); }
    else if (!key && !panel.hidden) { panel.hidden = true; current = null; }
    writeHash();
  }
  table.addEventListener('click', function(e){ var td = e.target.closest('td[data-key]'); if (td) { open(td.getAttribute('data-key'), false); writeHash(); } });
  table.addEventListener('keydown', function(e){ if ((e.key === 'Enter' || e.key === ' ') && e.target.matches('td[data-key]')) { e.preventDefault(); open(e.target.getAttribute('data-key'), true); writeHash(); } });
  document.addEventListener('click', function(e){
    var a = e.target.closest('a[data-key]');
    if (a) { e.preventDefault(); open(a.getAttribute('data-key'), false); writeHash(); }
  });
  document.getElementById('p-compare').addEventListener('change', function(){ if (current) render(); });
  document.getElementById('panel-close').addEventListener('click', close);
  document.addEventListener('keydown', function(e){ if (e.key === 'Escape' && !panel.hidden) close(); });
  Object.keys(sel).forEach(function(k){ sel[k].addEventListener('change', function(){ apply(); writeHash(); }); });
  window.addEventListener('hashchange', readHash);
  readHash();
})();
`;
