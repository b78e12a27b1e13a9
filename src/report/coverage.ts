/**
 * Decision coverage: for each policy, each branch of each decision point, which scenarios took it.
 *
 * Like cucumber's usage formatter flags UNUSED step definitions, a branch no scenario takes is
 * "never exercised": the suite says nothing about it (v11's `crycbd : reject` fires only on a KVM
 * without a CRYCB, which Linux 4.20's own KVM never is).
 *
 * Two steps, so merged shards work from files alone: `planCoverage` needs the Policy object (a
 * custom function's branches come from `branchesOf`); `fillCoverage` needs only the report rows.
 */
import { branchesOf, decisionKey, DECISION_POINT_IDS, DECISION_POINTS, optionName, type Policy } from '../sim/decisions';
import type { BranchCoverage, PolicyCoverage, PolicyInfo, ScenarioRow } from './types';

/**
 * `changes`: the points where the policy's own choice differs from its base's (src/policies
 * `policyChanges`). Given, PolicyInfo.choices lists only those (what the patch changes), and the
 * coverage marks every other point of a policy with a base as inherited. Without it, every point
 * the (resolved) policy names is listed.
 */
export function describePolicy(policy: Policy, changes?: readonly string[]): PolicyInfo {
  const choices: Record<string, string> = {};
  for (const point of DECISION_POINT_IDS)
    if (policy.choices[point] !== undefined && (changes === undefined || changes.includes(point))) choices[point] = optionName(policy, point);
  return { id: policy.id, title: policy.title, source: policy.source, rationale: policy.rationale, ...(policy.base !== undefined ? { base: policy.base } : {}), choices };
}

/** Every point (named, inherited or 4.20's default) and every branch its option can take, none yet taken. */
export function planCoverage(policy: Policy, changes?: readonly string[]): PolicyCoverage {
  return {
    policy: policy.id,
    points: DECISION_POINT_IDS.map((point) => ({
      point,
      fn: DECISION_POINTS[point].fn,
      option: optionName(policy, point),
      isDefault: changes !== undefined ? policy.base !== undefined && !changes.includes(point) : policy.choices[point] === undefined,
      branches: branchesOf(policy, point).map((branch) => ({ branch, scenarios: [], on420Kvm: 0 })),
    })),
  };
}

/** Count, from each cell's `decisions`, the scenarios that took each planned branch. */
export function fillCoverage(plan: readonly PolicyCoverage[], scenarios: readonly ScenarioRow[]): PolicyCoverage[] {
  return plan.map((pc) => ({
    policy: pc.policy,
    points: pc.points.map((p) => ({
      ...p,
      branches: p.branches.map((b) => {
        const key = decisionKey(p.point, p.option, b.branch);
        const took = scenarios.filter((s) => (s.results[pc.policy]?.decisions?.[key] ?? 0) > 0);
        const on420Kvm = took.filter((s) => !s.results[pc.policy]?.preKvm).length;
        return { branch: b.branch, scenarios: took.map((s) => s.id).sort(compareStrings), on420Kvm };
      }),
    })),
  }));
}

export interface NeverExercised {
  readonly policy: string;
  readonly point: string;
  readonly option: string;
  readonly branch: string;
}

/** The branches, over every policy and point, for which `pred` holds. */
function branchesWhere(coverage: readonly PolicyCoverage[], pred: (b: BranchCoverage) => boolean): NeverExercised[] {
  return coverage.flatMap((pc) =>
    pc.points.flatMap((p) =>
      p.branches.filter(pred).map((b) => ({ policy: pc.policy, point: p.point, option: p.option, branch: b.branch })),
    ),
  );
}

export function neverExercised(coverage: readonly PolicyCoverage[]): NeverExercised[] {
  return branchesWhere(coverage, (b) => b.scenarios.length === 0);
}

/**
 * Branches some scenario took, but none on Linux 4.20's own KVM: what the suite shows only for the
 * pre-4.20 KVM. v11's `crycbd : reject` is the example: every 4.20 VM has a CRYCB.
 */
export function onlyOnPreKvm(coverage: readonly PolicyCoverage[]): NeverExercised[] {
  return branchesWhere(coverage, (b) => b.scenarios.length > 0 && b.on420Kvm === 0);
}

/** Code-unit order: locale-independent, so the JSON is the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
