/**
 * Randomized search with fast-check's model-based testing: `fc.commands` draws sequences from the
 * alphabet, `fc.modelRun` runs them on a fresh System per run, every step checks the invariants,
 * and fast-check shrinks a failing sequence. Seeds are printed and replayable (`--seed`).
 */
import fc from 'fast-check';
import type { Policy } from '../sim/decisions';
import { commandSequences } from './arbitraries';
import type { ExploreCommand } from './commands/base';
import type { Invariant, Violation } from './invariants';
import type { Model } from './model';
import type { Real } from './real';
import { firstViolation, start } from './run';
import type { World } from './world';

class InvariantBroken extends Error {
  constructor(readonly violation: Violation) {
    super(`${violation.invariant}: ${violation.message}`);
  }
}

/** An alphabet command that checks the invariants after it ran (what fast-check executes). */
class Checked implements fc.Command<Model, Real> {
  constructor(
    readonly cmd: ExploreCommand,
    readonly invariants: readonly Invariant[],
  ) {}
  check(m: Readonly<Model>): boolean {
    return this.cmd.check(m);
  }
  run(m: Model, r: Real): void {
    this.cmd.run(m, r);
    fc.pre(!r.refusedGiven);
    const v = firstViolation(this.invariants, m, r);
    if (v) throw new InvariantBroken(v);
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
  readonly maxCommands: number;
}

export interface RandomResult {
  readonly seed: number;
  readonly runs: number;
  readonly counterexample?: { path: ExploreCommand[]; violation: Violation; fcPath: string };
}

/** Replay a (shrunk) sequence as modelRun does, stopping at the first violation. */
function replay(policy: Policy, world: World, cmds: readonly Checked[], invariants: readonly Invariant[]) {
  const { model, real } = start(policy, world, false);
  const ran: ExploreCommand[] = [];
  for (const c of cmds) {
    if (!c.check(model)) continue;
    c.cmd.run(model, real);
    ran.push(c.cmd);
    if (real.refusedGiven) return undefined;
    const v = firstViolation(invariants, model, real);
    if (v) return { path: ran, violation: v };
  }
  return undefined;
}

export function randomSearch(o: RandomOptions): RandomResult {
  const invariants = [o.invariant];
  const checked = o.alphabet.map((c) => new Checked(c, invariants));
  const property = fc.property(commandSequences(checked, o.maxCommands), (cmds) => {
    fc.modelRun(() => start(o.policy, o.world, false), cmds);
  });
  const details = fc.check(property, { seed: o.seed, numRuns: o.numRuns });
  if (!details.failed || !details.counterexample) return { seed: o.seed, runs: details.numRuns };
  // fast-check hands back its own wrappers (CommandWrapper, with the command in `.cmd`).
  const cmds = [...(details.counterexample[0] as Iterable<unknown>)].map((w) => (w instanceof Checked ? w : (w as { cmd: Checked }).cmd));
  const found = replay(o.policy, o.world, cmds, invariants);
  if (!found) return { seed: o.seed, runs: details.numRuns };
  return { seed: o.seed, runs: details.numRuns, counterexample: { ...found, fcPath: details.counterexamplePath ?? '' } };
}
