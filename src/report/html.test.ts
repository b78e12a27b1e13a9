import { describe, expect, it } from 'vitest';
import { esc, jsonForScript, renderHtml } from './html';
import type { MatrixReport } from './types';

const evil = '<script>alert(1)</script>';

function report(): MatrixReport {
  return {
    formatVersion: 1,
    policies: [{ id: 'v11', title: `t ${evil}`, source: `s "quoted"`, rationale: `r ' ${evil}`, choices: {} }],
    scenarios: [
      {
        id: `x.feature » ${evil}`,
        uri: 'features/x.feature',
        feature: `F ${evil}`,
        featureDescription: `D <img src=x onerror=alert(2)>`,
        featureTags: ['@x'],
        tags: ['@x', '@"><b>'],
        name: evil,
        line: 3,
        results: { v11: { status: 'failed', failingStep: `Then ${evil}`, error: `boom </script><script>alert(3)</script>`, trace: [`[kvm] f(${evil}) -> 0`] } },
      },
    ],
    coverage: [{ policy: 'v11', points: [{ point: 'vfio_ap.init', fn: 'vfio_ap_init', option: 'ap-instructions', isDefault: false, branches: [{ branch: 'accept', scenarios: [`x.feature » ${evil}`], on420Kvm: 1 }, { branch: 'reject', scenarios: [], on420Kvm: 0 }] }] }],
  };
}

describe('renderHtml', () => {
  it('escapes every piece of feature text, so a scenario named <script> shows as text', () => {
    const html = renderHtml(report());
    const scripts = html.match(/<script\b/g) ?? [];
    expect(scripts).toHaveLength(2); // the JSON island and the page's own script, nothing injected
    expect(html).not.toContain('<img');
    expect(html).not.toContain('@"><b>');
    expect(html).toContain('@&quot;&gt;&lt;b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps the JSON island from closing its script element', () => {
    const html = renderHtml(report());
    const island = /<script type="application\/json" id="apspec-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(island).not.toMatch(/[<>]/);
    expect(JSON.parse(island).cells[0].err).toBe('boom </script><script>alert(3)</script>');
  });

  it('flags a branch no scenario took as never exercised', () => {
    expect(renderHtml(report())).toMatch(/<tr class="never">.*reject.*never exercised/);
  });

  it('needs no network: no external scripts, stylesheets or images', () => {
    expect(renderHtml(report())).not.toMatch(/(src|href)="(https?:)?\/\//);
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
