import { describe, expect, it } from 'vitest';
import type { MatrixReport, ScenarioRow } from './types';
import { acceptVerdicts, diffVerdicts, formatDifference, parseVerdicts, serializeVerdicts, verdictsOf } from './verdicts';

function row(id: string, name: string, results: Record<string, 'passed' | 'failed'>): ScenarioRow {
  return { id, uri: 'features/thread/r3.feature', feature: 'R3', featureDescription: '', featureTags: [], tags: [], name, line: 7, steps: [], results: Object.fromEntries(Object.entries(results).map(([p, status]) => [p, { status }])) };
}

const report: MatrixReport = {
  formatVersion: 2,
  policies: [],
  scenarios: [row('features/thread/r3.feature:7', 'R3 APIE later', { 'v10-apie': 'passed', v11: 'passed' })],
  coverage: [],
};

describe('diffVerdicts', () => {
  it('reports a changed verdict in the words a reviewer reads', () => {
    const diffs = diffVerdicts({ 'features/thread/r3.feature:7': { 'v10-apie': 'failed', v11: 'passed' } }, report, { complete: true });
    expect(diffs.map(formatDifference)).toEqual(['R3 APIE later (features/thread/r3.feature:7) under v10-apie: expected failed, got passed']);
  });

  it('treats a failing cell that was expected to fail as no difference', () => {
    const failing: MatrixReport = { ...report, scenarios: [row('a', 'A', { v10: 'failed' })] };
    expect(diffVerdicts({ a: { v10: 'failed' } }, failing, { complete: true })).toEqual([]);
  });

  it('reports cells without an expectation as new', () => {
    expect(diffVerdicts({}, report, { complete: false }).map((d) => d.kind)).toEqual(['new', 'new']);
  });

  it('reports expectations for scenarios that no longer exist only after a complete run', () => {
    const expected = { ...verdictsOf(report), 'features/gone.feature:3': { v11: 'passed' as const } };
    expect(diffVerdicts(expected, report, { complete: false })).toEqual([]);
    expect(diffVerdicts(expected, report, { complete: true }).map(formatDifference)).toEqual(['features/gone.feature:3 under v11: expected passed, but no scenario starts at that line any more (moved or removed)']);
  });
});

describe('acceptVerdicts', () => {
  it('replaces everything after a complete run', () => {
    expect(acceptVerdicts({ old: { v11: 'failed' } }, report, { complete: true })).toEqual(verdictsOf(report));
  });

  it('updates only the cells a partial run ran', () => {
    const merged = acceptVerdicts({ old: { v11: 'failed' }, 'features/thread/r3.feature:7': { v10: 'failed', v11: 'failed' } }, report, { complete: false });
    expect(merged).toEqual({ old: { v11: 'failed' }, 'features/thread/r3.feature:7': { v10: 'failed', 'v10-apie': 'passed', v11: 'passed' } });
  });

  it('serializes with sorted keys, so the committed file diffs cleanly', () => {
    expect(serializeVerdicts({ b: { z: 'passed', a: 'failed' }, a: { v11: 'passed' } })).toBe(
      '{\n  "a": {\n    "v11": "passed"\n  },\n  "b": {\n    "a": "failed",\n    "z": "passed"\n  }\n}\n',
    );
  });

  it('refuses a run with a cell that is no verdict, listing every such cell, and records nothing', () => {
    const broken: MatrixReport = {
      ...report,
      scenarios: [{ ...row('a', 'A', { v10: 'passed' }), results: { v10: { status: 'undefined' }, v11: { status: 'policy-error' }, v12: { status: 'passed' } } }],
    };
    expect(() => acceptVerdicts(undefined, broken, { complete: true })).toThrow(
      /records only verdicts \(passed, failed, not-applicable\).*2 cells are not one:\n {2}features\/thread\/r3\.feature:7 {2}A {2}under v10: undefined\n {2}features\/thread\/r3\.feature:7 {2}A {2}under v11: policy-error/s,
    );
  });

  it('rejects a scenario entry that is not an object, with advice that works on a corrupt file', () => {
    expect(() => parseVerdicts('{"f.feature:1":null}', 'x.json')).toThrow(/"f.feature:1" must map policies to statuses.*delete it and record the verdicts again/);
  });

  it('rejects a file keyed by scenario names (the format before file-and-line identity), saying what a key is now', () => {
    expect(() => parseVerdicts('{"thread/r3.feature » R3 APIE later":{"v11":"passed"}}', 'x.json')).toThrow(/is not a scenario id of the form <feature file>:<line>/);
  });

  it('rejects a file with an unknown status', () => {
    expect(() => parseVerdicts('{"f.feature:1":{"v11":"green"}}', 'x.json')).toThrow(/unknown status "green"/);
  });
});

describe('a scenario pinned to another policy', () => {
  const pinned: MatrixReport = {
    ...report,
    scenarios: [
      {
        ...row('features/x.feature:3', 'Pinned', {}),
        results: {
          v10: { status: 'passed' },
          v11: { status: 'skipped', reason: 'pinned to policy v10 by: Given the policy "v10"' },
          v12: { status: 'skipped', reason: 'skipped by the step: Given something' },
        },
      },
    ],
  };

  it('is no verdict where it does not run: --accept leaves that cell out instead of refusing', () => {
    const only = { ...pinned, scenarios: [{ ...pinned.scenarios[0]!, results: { v10: pinned.scenarios[0]!.results.v10!, v11: pinned.scenarios[0]!.results.v11! } }] };
    expect(acceptVerdicts(undefined, only, { complete: true })).toEqual({ 'features/x.feature:3': { v10: 'passed' } });
    expect(diffVerdicts({ 'features/x.feature:3': { v10: 'passed' } }, only, { complete: true })).toEqual([]);
  });

  it('but a step that skips without pinning is still refused', () => {
    expect(() => acceptVerdicts(undefined, pinned, { complete: true })).toThrow(/1 cell is not one:\n.*under v12: skipped/s);
  });
});
