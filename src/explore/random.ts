/**
 * Randomized search with fast-check's model-based testing. Each run starts from a fresh System:
 * a preamble builds a plausible world (host facts, vfio_ap, mdevs with a matrix, guests), then
 * `fc.commands` draws weighted commands (src/explore/weights.ts), `fc.modelRun` runs those whose
 * `check(model)` holds, and every step checks the invariant. A failing run is shrunk by fast-check
 * (preamble choices towards nothing, commands dropped), and the shrunk run is replayed here to get
 * the commands that ran: those, and only those, are the counterexample written out.
 *
 * `maxSteps` caps the commands that run (preamble included); skipped commands do not count, so
 * twice as many are drawn. Runs are reproducible from the seed (and fast-check's replay path).
 */
import fc from 'fast-check';
import type { Policy } from '../sim/api';
import { randomRuns } from './arbitraries';
import type { ExploreCommand } from './commands/base';
import type { Invariant, Violation } from './invariants';
import type { Model } from './model';
import type { Real } from './real';
import { firstViolation, replayScenario, start } from './run';
import type { World } from './world';

class InvariantBroken extends Error {
  constructor(readonly violation: Violation) {
    super(`${violation.invariant}: ${violation.message}`);
  }
}

/** What every command of one search shares. */
interface Search {
  readonly policy: Policy;
  readonly world: World;
  readonly invariants: readonly Invariant[];
  readonly maxSteps: number;
  /** Commands executed, over all runs. */
  steps: number;
  /** The commands each run executed so far (a run is its Real). */
  readonly ran: WeakMap<Real, ExploreCommand[]>;
}

/**
 * A violation counts only if the scenario written for it fails under the policy: some states
 * break an invariant that its Then-steps cannot express (R2 with a matrix of domains only), and
 * shrinking would happily steer towards them. The run goes on past such a state.
 */
function reproduces(s: Search, path: readonly ExploreCommand[], v: Violation): boolean {
  return !replayScenario(s.policy, s.world, path, v.then, false).passes;
}

/** An alphabet command that runs while the step budget lasts and checks the invariants after it ran. */
class Checked implements fc.Command<Model, Real> {
  constructor(
    readonly cmd: ExploreCommand,
    readonly search: Search,
  ) {}
  check(m: Readonly<Model>): boolean {
    return m.steps < this.search.maxSteps && this.cmd.check(m);
  }
  run(m: Model, r: Real): void {
    const s = this.search;
    s.steps++;
    this.cmd.run(m, r);
    fc.pre(!r.refusedGiven);
    const path = s.ran.get(r) ?? [];
    path.push(this.cmd);
    s.ran.set(r, path);
    const v = firstViolation(s.invariants, m, r);
    if (v && reproduces(s, path, v)) throw new InvariantBroken(v);
  }
  toString(): string {
    return this.cmd.toString();
  }
}

export interface RandomOptions {
  readonly policy: Policy;
  readonly world: World;
  readonly alphabet: readonly ExploreCommand[];
  readonly invariant: Invariant;
  readonly seed: number;
  readonly numRuns: number;
  /** Most commands that run in one run, preamble included (`--depth`). */
  readonly maxSteps: number;
  /** Stop drawing (and shrinking) after this many ms; what was found so far is kept. */
  readonly timeLimitMs?: number;
}

export interface RandomResult {
  readonly seed: number;
  /** Runs executed (up to and including the first failing one). */
  readonly runs: number;
  /** Commands executed, over all runs and shrinks. */
  readonly steps: number;
  readonly shrinks: number;
  /** The time limit cut the search short. */
  readonly interrupted: boolean;
  readonly counterexample?: { path: ExploreCommand[]; violation: Violation; fcPath: string };
}

/** Replay a (shrunk) run as modelRun does, up to the first violation that counts: the commands that ran. */
function replay(s: Search, cmds: readonly Checked[]) {
  const { model, real } = start(s.policy, s.world, false);
  const ran: ExploreCommand[] = [];
  for (const c of cmds) {
    if (!c.check(model)) continue;
    c.cmd.run(model, real);
    ran.push(c.cmd);
    if (real.refusedGiven) return undefined;
    const v = firstViolation(s.invariants, model, real);
    if (v && reproduces(s, ran, v)) return { path: ran, violation: v };
  }
  return undefined;
}

type RunValue = [Checked[], readonly fc.Command<Model, Real>[]];

/** fast-check hands the commands of `fc.commands` back in its own wrappers (the command in `.cmd`). */
const unwrap = (w: unknown): Checked => (w instanceof Checked ? w : (w as { cmd: Checked }).cmd);

export function randomSearch(o: RandomOptions): RandomResult {
  const search: Search = { policy: o.policy, world: o.world, invariants: [o.invariant], maxSteps: o.maxSteps, steps: 0, ran: new WeakMap() };
  const checked = new Map(o.alphabet.map((c) => [c, new Checked(c, search)]));
  const runs = randomRuns(o.alphabet, o.world, (c) => checked.get(c)!, 2 * o.maxSteps);
  const property = fc.property(runs, ([pre, body]) => {
    fc.modelRun(() => start(o.policy, o.world, false), [...pre, ...body]);
  });
  // The plugin works for any property; its type (Plugin<unknown>) does not say so.
  const plugins = o.timeLimitMs !== undefined ? [fc.interruptAfterTimeLimit(o.timeLimitMs) as unknown as fc.Plugin<[RunValue]>] : [];
  const details = fc.check<[RunValue]>(property, { seed: o.seed, numRuns: o.numRuns, plugins });
  const base = { seed: o.seed, runs: details.numRuns, steps: search.steps, shrinks: details.numShrinks, interrupted: details.interrupted };
  if (!details.failed || !details.counterexample) return base;
  const [pre, body] = details.counterexample[0];
  const found = replay(search, [...pre, ...body.map(unwrap)]);
  // Runs are deterministic, so the shrunk run fails again; if not, what would be written is not what ran.
  if (!found) throw new Error(`random search: the shrunk run does not fail on replay (${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)})`);
  return { ...base, counterexample: { ...found, fcPath: details.counterexamplePath ?? '' } };
}
