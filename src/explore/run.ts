/**
 * Running command sequences: a fresh start (world System + initial model), one step with its
 * invariant checks, and replay of a path under any policy as Cucumber would run its scenario.
 */
import { evaluateShape, type Policy } from '../sim/api';
import type { Assertion } from './assertions';
import type { ExploreCommand } from './commands/base';
import type { Invariant, Violation } from './invariants';
import { initialModel, type KernelTraits, type Model } from './model';
import type { Real } from './real';
import { worldSystem, type World } from './world';

export interface Start {
  model: Model;
  real: Real;
}

/**
 * Whether the kernel under `policy` reconfigures a running guest through (un)assign: its vfio_ap
 * validates assignments the 6.0 way and pushes the shadow APCB (decision point `vfio_ap.matrix`,
 * assign_adapter_store). The model keeps no policy id; it asks the decision point, as a reviewer's
 * patch on linux-6.0 inherits it.
 */
export function hotPlugByAssign(policy: Policy): boolean {
  return evaluateShape(policy, 'vfio_ap.matrix') === 'dynamic';
}

/** What the model asks of the kernel once: hot plug by assign, AQIC handled in the kernel (`kvm.handle_pqap`), the KVM from the group (`vfio_ap.open_device`). */
export function kernelTraits(policy: Policy): KernelTraits {
  return {
    hotPlug: hotPlugByAssign(policy),
    aqicInKernel: evaluateShape(policy, 'kvm.handle_pqap') !== 'none',
    kvmFollowsGroup: evaluateShape(policy, 'vfio_ap.open_device') === 'group-notifier',
  };
}

export function start(policy: Policy, world: World, trace = false): Start {
  return {
    model: initialModel(world.reserved, kernelTraits(policy)),
    real: { sys: worldSystem(policy, world, { trace }), policy, world, trace, last: undefined, refusedGiven: false },
  };
}

/** The first violated invariant after a step (`newState`: also judge state invariants). */
export function firstViolation(invariants: readonly Invariant[], m: Model, r: Real, newState = true): Violation | undefined {
  for (const inv of invariants) {
    if (inv.scope === 'state' && !newState) continue;
    const v = inv.check(m, r);
    if (v) return v;
  }
  return undefined;
}

export interface ReplayResult {
  /** Cucumber would pass the scenario: every Given held, no step threw, every assertion held, no oops. */
  readonly passes: boolean;
  /** A Given cannot exist under the policy: Cucumber reports the scenario n.a. (skipped), neither pass nor fail. */
  readonly notApplicable?: string;
  /** Why it does not pass. */
  readonly why?: string;
  readonly real: Real;
}

/**
 * Replay a scenario (path + Then assertions) on a fresh System under `policy`, step by step as
 * Cucumber runs it: every step runs (no model check), a refused Given or a thrown error fails it.
 */
export function replayScenario(policy: Policy, world: World, path: readonly ExploreCommand[], assertions: readonly Assertion[], trace = true): ReplayResult {
  const { model, real } = start(policy, world, trace);
  for (const cmd of path) {
    try {
      cmd.run(model, real);
    } catch (err) {
      return { passes: false, why: `"${cmd.toString()}" threw: ${(err as Error).message}`, real };
    }
    if (real.notApplicable !== undefined) return { passes: false, notApplicable: real.notApplicable, why: `"${cmd.toString()}" is not applicable: ${real.notApplicable}`, real };
    if (real.refusedGiven) return { passes: false, why: `precondition "${cmd.toString()}" was refused`, real };
  }
  for (const a of assertions) if (!a.holds(real)) return { passes: false, why: `"${a.lines[a.lines.length - 1]}" does not hold`, real };
  if (real.sys.oops) return { passes: false, why: `the host kernel crashed in ${real.sys.oops.fn}`, real };
  return { passes: true, real };
}
