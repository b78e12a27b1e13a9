/**
 * A policy's options resolved once per policy, not once per System or per call: for each decision
 * point the option name, what it decides with (a check) and its coverage keys. The hot path asks
 * the policy thousands of times per System; a scenario replay creates a System per scenario.
 *
 * The cache is keyed by the Policy object (a WeakMap, so a policy that is dropped takes its table
 * with it) and holds only frozen values derived from the policy and the decision-point specs: it
 * carries no state from one System to another. Each entry remembers the choice it was made from and
 * is used only while `policy.choices[point]` is still that choice, so a policy object edited
 * between Systems (tests do) is resolved again. Invalid choices are never cached: the validation
 * (and its PolicyError) runs on every call, exactly as before.
 */
import { type CheckPoint, DECISION_POINTS, type DecisionPoint, type Policy, type ShapePoint, type Verdict, decisionKey, evaluateShape } from './decisions';

export interface ShapeEntry {
  readonly choice: unknown;
  readonly option: string;
  /** `point=option:taken`. */
  readonly key: string;
}

export interface CheckEntry {
  readonly choice: unknown;
  readonly option: string;
  /** The named option (its `decide` is called as a method, as evaluateChoice does). */
  readonly spec: { decide(ctx: never): Verdict };
  readonly acceptKey: string;
  readonly rejectKey: string;
}

export class PolicyTable {
  private readonly shapes = new Map<DecisionPoint, ShapeEntry>();
  private readonly checks = new Map<DecisionPoint, CheckEntry>();

  constructor(private readonly policy: Policy) {}

  /** The option at a shape point; a bad choice throws evaluateShape's PolicyError (never cached). */
  shape(point: ShapePoint): ShapeEntry {
    const choice = this.policy.choices[point] as unknown;
    const hit = this.shapes.get(point);
    if (hit !== undefined && hit.choice === choice) return hit;
    const option = evaluateShape(this.policy, point);
    const entry: ShapeEntry = Object.freeze({ choice, option, key: decisionKey(point, option, 'taken') });
    this.shapes.set(point, entry);
    return entry;
  }

  /**
   * The named option at a check point, or undefined when the policy answers with its own function
   * or names no known option: the caller then runs evaluateChoice, which validates (and throws
   * its PolicyError) on every call, as before.
   */
  check(point: CheckPoint): CheckEntry | undefined {
    const choice = this.policy.choices[point] as unknown;
    const hit = this.checks.get(point);
    if (hit !== undefined && hit.choice === choice) return hit;
    if (typeof choice !== 'string') return undefined;
    const options = DECISION_POINTS[point].options as Record<string, { decide(ctx: never): Verdict }>;
    if (!Object.prototype.hasOwnProperty.call(options, choice)) return undefined;
    const entry: CheckEntry = Object.freeze({
      choice,
      option: choice,
      spec: options[choice]!,
      acceptKey: decisionKey(point, choice, 'accept'),
      rejectKey: decisionKey(point, choice, 'reject'),
    });
    this.checks.set(point, entry);
    return entry;
  }
}

const TABLES = new WeakMap<Policy, PolicyTable>();

/** The resolved table of a policy, made on first use. */
export function policyTable(policy: Policy): PolicyTable {
  let t = TABLES.get(policy);
  if (!t) TABLES.set(policy, (t = new PolicyTable(policy)));
  return t;
}
