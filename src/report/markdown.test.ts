import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import type { MatrixReport, ScenarioRow } from './types';

function row(uri: string, name: string, status: 'passed' | 'failed', tags: string[] = []): ScenarioRow {
  return { id: `${uri} » ${name}`, uri, feature: `F ${uri}`, featureDescription: '', featureTags: tags, tags, name, line: 1, results: { v11: { status, ...(status === 'failed' ? { failingStep: 'Then x', error: 'boom ``` here' } : {}) } } };
}

const report: MatrixReport = {
  formatVersion: 1,
  policies: [{ id: 'v11', title: 'T', source: 'S', rationale: 'R', choices: {} }],
  scenarios: [row('features/thread/r1.feature', 'R1 a | b <c>', 'passed', ['@thread']), row('features/z.feature', 'vfio_ap loads', 'failed')],
  coverage: [],
};

describe('renderMarkdown', () => {
  it('renders ✓/✗ rows grouped by feature with pipes and HTML neutralised', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| R1 a \\| b &lt;c> | ✓ |');
    expect(md).toContain('| vfio_ap loads | ✗ |');
    expect(md.indexOf('## F features/thread/r1.feature')).toBeLessThan(md.indexOf('## F features/z.feature'));
  });

  it('counts requirements met from @thread scenarios', () => {
    expect(renderMarkdown(report)).toContain('| requirements met | 1/1 |');
  });

  it('fences an error longer than any backtick run inside it', () => {
    expect(renderMarkdown(report)).toContain('````\nboom ``` here\n````');
  });
});
