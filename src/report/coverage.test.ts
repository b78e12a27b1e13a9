import { describe, expect, it } from 'vitest';
import { getPolicy, policyChanges, resolvePolicy } from '../policies';
import type { Policy } from '../sim/decisions';
import { describePolicy, fillCoverage, neverExercised, onlyOnPreKvm, planCoverage } from './coverage';
import type { ScenarioRow } from './types';

function row(id: string, policy: string, decisions: Record<string, number>, preKvm = false): ScenarioRow {
  return {
    id, uri: 'features/x.feature', feature: 'X', featureDescription: '', featureTags: [], tags: [], name: id, line: 1, steps: [],
    results: { [policy]: { status: 'passed', decisions, ...(preKvm ? { preKvm: true as const } : {}) } },
  };
}

describe('decision coverage', () => {
  it('plans every branch of every point the policy uses, the choices inherited from its base included', () => {
    const plan = planCoverage(getPolicy('v10'), policyChanges('v10'));
    // Shape points (a release's behaviour) plan one branch, `taken`; the thread's checks two.
    expect(plan.points.filter((p) => p.branches.length === 1 && p.branches[0].branch === 'taken').length).toBeGreaterThan(0);
    expect(plan.points.filter((p) => p.branches.some((b) => b.branch !== 'taken')).map((p) => `${p.point}=${p.option}${p.isDefault ? ' (default)' : ''}:${p.branches.map((b) => b.branch).join('/')}`)).toEqual([
      'vfio_ap.init=none:accept',
      'vfio_ap.open.validate=cpu-feat-ap:accept/reject',
      'kvm.cpu_feat_ap=offered:accept/reject',
    ]);
    // v11 is what linux-4.20 merged: it names nothing, so every point is inherited.
    expect(planCoverage(getPolicy('v11'), policyChanges('v11')).points.every((p) => p.isDefault)).toBe(true);
  });

  it('flags a branch no scenario took as never exercised (v11 crycbd : reject under 4.20 KVM)', () => {
    const rows = [
      row('a', 'v11', { 'vfio_ap.init=ap-instructions:accept': 1, 'vfio_ap.open.validate=crycbd:accept': 2, 'kvm.cpu_feat_ap=absent:reject': 1 }),
      row('b', 'v11', { 'vfio_ap.init=ap-instructions:reject': 1 }),
    ];
    const filled = fillCoverage([planCoverage(getPolicy('v11'))], rows);
    expect(neverExercised(filled).filter((n) => n.branch !== 'taken')).toEqual([{ policy: 'v11', point: 'vfio_ap.open.validate', option: 'crycbd', branch: 'reject' }]);
    expect(filled[0].points[0].branches).toEqual([{ branch: 'accept', scenarios: ['a'], on420Kvm: 1 }, { branch: 'reject', scenarios: ['b'], on420Kvm: 1 }]);
  });

  it('ignores decisions recorded under another policy', () => {
    const filled = fillCoverage([planCoverage(getPolicy('v11'))], [row('a', 'v10', { 'vfio_ap.init=ap-instructions:accept': 1 })]);
    expect(filled[0].points[0].branches[0].scenarios).toEqual([]);
  });

  it('with the points a policy changes, lists only those as its choices and marks the rest inherited from its base', () => {
    const v10 = getPolicy('v10');
    expect(describePolicy(v10, ['vfio_ap.init']).choices).toEqual({ 'vfio_ap.init': 'none' });
    const plan = planCoverage(v10, ['vfio_ap.init']);
    expect(plan.points.filter((p) => !p.isDefault).map((p) => p.point)).toEqual(['vfio_ap.init']);
  });

  it("gives a reviewer's custom function both branches", () => {
    const custom: Policy = resolvePolicy({ id: 'mine', title: '', source: '', rationale: '', base: 'linux-4.20', choices: { 'vfio_ap.init': () => ({ ok: true }) } }, getPolicy);
    expect(planCoverage(custom).points[0]).toMatchObject({ option: 'custom', branches: [{ branch: 'accept' }, { branch: 'reject' }] });
  });

  it("flags a branch taken only on the pre-4.20 KVM as never taken on Linux 4.20's own (v11 crycbd : reject)", () => {
    const rows = [
      row('on 4.20', 'v11', { 'vfio_ap.open.validate=crycbd:accept': 1 }),
      row('R5 on the pre-4.20 KVM', 'v11', { 'vfio_ap.open.validate=crycbd:reject': 1 }, true),
      row('accept on the pre-4.20 KVM too', 'v11', { 'vfio_ap.open.validate=crycbd:accept': 1 }, true),
    ];
    const filled = fillCoverage([planCoverage(getPolicy('v11'))], rows);
    expect(filled[0].points[1].branches).toEqual([
      { branch: 'accept', scenarios: ['accept on the pre-4.20 KVM too', 'on 4.20'], on420Kvm: 1 },
      { branch: 'reject', scenarios: ['R5 on the pre-4.20 KVM'], on420Kvm: 0 },
    ]);
    expect(onlyOnPreKvm(filled)).toEqual([{ policy: 'v11', point: 'vfio_ap.open.validate', option: 'crycbd', branch: 'reject' }]);
  });
});
