/**
 * The renderings (HTML, Markdown, text) of one small report that has every kind of row and cell
 * (src/report/__test__/sample-report.ts).
 */
import { describe, expect, it } from 'vitest';
import { esc, jsonForScript, renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { decisiveEvents } from './story';
import { columnHeaders, renderText, TEXT_WIDTH, wrap } from './text';
import { ev, evil, failed, passed, sample } from './__test__/sample-report';
import type { Cell } from './types';

describe('renderHtml', () => {
  const html = renderHtml(sample());

  it('escapes every piece of feature and policy text, so a scenario named <script> shows as text', () => {
    expect(html.match(/<script\b/g) ?? []).toHaveLength(2); // the JSON island and the page's own script, nothing injected
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(`title of v10 ${evil}`);
  });

  it('keeps the JSON island from closing its script element', () => {
    const island = /<script type="application\/json" id="apspec-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(island).not.toMatch(/[<>]/);
    expect(JSON.parse(island).cells['v10:features/thread/R1-init.feature:14'].err).toBe(`expected ENODEV, got -EINVAL ${evil}`);
  });

  it('puts the thread table (candidates on linux-4.20) and the history table (kernels and patches on them) first, each cell linking to its panel', () => {
    const thread = /<div class="answer" id="t-thread">([\s\S]*?)<\/table>/.exec(html)![1];
    expect([...thread.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1])).toEqual(['requirement', 'v10', 'v11']);
    expect(thread).toContain('href="#cell=v10%3Afeatures%2Fthread%2FR1-init.feature%3A14"');
    const history = /<div class="answer" id="t-history">([\s\S]*?)<\/table>/.exec(html)![1];
    expect([...history.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1])).toEqual(['requirement', 'linux-4.20', 'linux-6.0', 'my-patch']);
    expect(html.indexOf('id="t-thread"')).toBeLessThan(html.indexOf('id="matrix"'));
  });

  it('shows not applicable as n.a. with its reason in the tooltip, and a skipped cell with why', () => {
    expect(html).toMatch(/<td class="st-not-applicable"><a class="rcell"[^>]*title="Open refuses a second mdev under linux-4.20: not applicable: linux-4.20 has no open_device">n\.a\.<\/a>/);
    expect(html).toMatch(/data-status="skipped"[^>]*title="Pinned to v10\nunder v11: skipped: pinned to policy v10 by: Given the policy &quot;v10&quot;"/);
  });

  it('lists what each policy with a base changes, and marks those cells', () => {
    expect(html).toMatch(/<details id="changes-v10" open><summary><b>v10<\/b> on linux-4.20: 1 verdict differ/);
    expect(html).toMatch(/<details id="changes-my-patch" open><summary><b>my-patch<\/b> on linux-6.0: 1 verdict differ/);
    expect(html).toMatch(/<details id="changes-v11"><summary><b>v11<\/b> on linux-4.20: no verdict differs/);
    expect(html).toContain('class="cell st-failed diff" data-policy="v10"');
  });

  it('keeps findings in their own section and out of the per-policy counts', () => {
    expect(html).toMatch(/<section id="findings">[\s\S]*The host crashes|<section id="findings">[\s\S]*F features\/findings\/crash\.feature/);
    const v11 = /<tr><th scope="row">v11<\/th>(.*?)<\/tr>/.exec(html)![1];
    expect(v11).toContain('<td class="zero">0</td>'); // v11 fails only the finding: 0 failed
  });

  it('flags a branch no scenario took as never exercised', () => {
    expect(html).toMatch(/<tr class="never">.*reject.*never exercised/);
  });

  it('shows a notice (a partial run) at the very top, escaped', () => {
    const top = renderHtml(sample(), { notice: `Partial run ${evil}` });
    expect(top).toMatch(/<header><p id="notice" role="status">Partial run &lt;script&gt;/);
    expect(html).not.toContain('id="notice"');
  });

  it('needs no network: no external scripts, stylesheets or images', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('esc and jsonForScript', () => {
  it('escape the five HTML-special characters', () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
  it('produce JSON that parses back to the same value', () => {
    const value = { s: '</script>\u2028&<!--' };
    expect(JSON.parse(jsonForScript(value))).toEqual(value);
  });
});

describe('decisiveEvents', () => {
  it("picks the decision that went the other way than under the base, not the base's own accepts", () => {
    const mine = failed();
    expect(decisiveEvents(mine, passed())).toEqual([1]); // v10's accept where linux-4.20 rejects
  });
  it('without a base, picks every reject and no accept', () => {
    expect(decisiveEvents(passed())).toEqual([1]);
  });
  it("without a base, never picks a reject its option always gives (4.20's kvm.cpu_feat_ap = absent at every QEMU start)", () => {
    const probe = { type: 'decision', layer: 'kvm', fn: 'kvm_s390_get_machine_feat', point: 'kvm.cpu_feat_ap', option: 'absent', branch: 'reject', detail: '', outcome: '-EINVAL' } as const;
    const cell: Cell = { status: 'failed', steps: [{ status: 'passed', events: [probe] }, { status: 'failed', events: [ev.einval] }] };
    expect(decisiveEvents(cell)).toEqual([1]);
  });
  it('with nothing else to go on, picks the last refusal of the failing step', () => {
    const cell: Cell = { status: 'failed', steps: [{ status: 'passed', events: [ev.host] }, { status: 'failed', events: [ev.einval, ev.host] }] };
    expect(decisiveEvents(cell)).toEqual([1]);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(sample());
  it('renders the requirement tables with pipes and HTML neutralised', () => {
    expect(md).toContain('| **R1** vfio_ap needs AP instructions | ✗ | ✓ |');
    expect(md).toContain('| **H1** Open refuses a second mdev | n.a. | ✓ | ✓ |');
    // Outside code fences (where a forge shows text verbatim) no tag survives.
    expect(md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '')).not.toContain('<script>');
  });
  it('prints each failing scenario once, its steps and trace in one <details>', () => {
    expect(md.match(/<details>/g)).toHaveLength(2); // R1 (v10 and my-patch fail the same way) and the finding
    expect(md).toContain('under v10, my-patch at `Then it fails with ENODEV`');
    expect(md).toContain('    >> [vfio-ap] vfio_ap_init: decision vfio_ap.init = none -> accept -> 0');
  });
  it('fences an error longer than any backtick run inside it', () => {
    const r = sample();
    const cell = { ...failed(), error: 'boom ``` here' };
    const withTicks = { ...r, scenarios: [{ ...r.scenarios[0], results: { v10: cell } }] };
    expect(renderMarkdown(withTicks)).toContain('boom ``` here');
    expect(renderMarkdown(withTicks)).not.toMatch(/^```\n[^`]*boom/m);
  });
});

describe('renderText', () => {
  const text = renderText(sample());
  it(`is ASCII with no line over ${TEXT_WIDTH} columns`, () => {
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(TEXT_WIDTH);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
  });
  it('puts the requirement tables first, then what each patch changes, the findings and the failing cells', () => {
    const order = ['The 2018 thread', 'Kernel history', 'What each policy changes', 'Findings', 'Failing cells'].map((h) => text.indexOf(h));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]))).toBe(true);
    expect(text).toMatch(/^R1 {3}FAIL ok$/m);
    expect(text).toMatch(/^H1 {3}n\.a\. +ok +ok$/m);
  });
  it('shows a failing cell with its step and decisive line', () => {
    expect(text).toContain('  FAIL under v10, my-patch');
    expect(text).toContain('  at: Then it fails with ENODEV');
    expect(text).toContain('  > [vfio-ap] vfio_ap_init: decision vfio_ap.init = none -> accept -> 0');
  });
});

describe('text helpers', () => {
  it('wrap breaks at words and cuts words longer than a line', () => {
    const lines = wrap(`${'a'.repeat(100)} b c`, '> ', '  ');
    expect(lines.every((l) => l.length <= TEXT_WIDTH)).toBe(true);
    expect(lines.join('').replace(/[> ]/g, '')).toBe(`${'a'.repeat(100)}bc`);
  });
  it('columnHeaders drops a shared prefix, then falls back to letters with a key', () => {
    expect(columnHeaders(['linux-4.20', 'linux-6.0'], 30).names).toEqual(['linux-4.20', 'linux-6.0']);
    expect(columnHeaders(['linux-4.20', 'linux-5.3', 'linux-6.0'], 20).names).toEqual(['4.20', '5.3', '6.0']);
    const letters = columnHeaders(['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'], 20);
    expect(letters.names).toEqual(['A', 'B', 'C']);
    expect(letters.key?.join(' ')).toContain('A=aaaaaaaaaa');
  });
});
