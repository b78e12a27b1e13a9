import { describe, expect, it } from 'vitest';
import { getPolicy } from '../policies';
import { describePolicy, planCoverage } from './coverage';
import { assemble, serializeMatrix } from './matrix';
import { mergeMatrices } from './merge';
import type { ScenarioRow } from './types';

function row(id: string, uri: string, line: number): ScenarioRow {
  return {
    id, uri, feature: uri, featureDescription: '', featureTags: [], tags: [], name: id, line, steps: [],
    results: { v11: { status: 'passed', decisions: { [`vfio_ap.init=ap-instructions:${line % 2 ? 'accept' : 'reject'}`]: 1 } } },
  };
}

describe('mergeMatrices', () => {
  const policies = [describePolicy(getPolicy('v11'))];
  const plan = [planCoverage(getPolicy('v11'))];
  const a = row('features/other.feature:3', 'features/other.feature', 3);
  const b = row('features/thread/r1.feature:4', 'features/thread/r1.feature', 4);
  const c = row('features/other.feature:9', 'features/other.feature', 9);

  it('gives the report a single run over all scenarios would give, coverage included', () => {
    const whole = assemble(policies, plan, [a, b, c]);
    const merged = mergeMatrices([assemble(policies, plan, [c, a]), assemble(policies, plan, [b])]);
    expect(serializeMatrix(merged)).toBe(serializeMatrix(whole));
    expect(merged.coverage[0].points[0].branches.map((x) => x.scenarios.length)).toEqual([2, 1]);
  });

  it('does not depend on the order of the shards', () => {
    const one = mergeMatrices([assemble(policies, plan, [a]), assemble(policies, plan, [b, c])]);
    const two = mergeMatrices([assemble(policies, plan, [b, c]), assemble(policies, plan, [a])]);
    expect(serializeMatrix(one)).toBe(serializeMatrix(two));
  });
});
