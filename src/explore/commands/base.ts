/**
 * What every explorer command shares (fast-check's ICommand: `check(model)`, `run(model, real)`,
 * `toString()`). `toString()` is the exact Gherkin step line, keyword included, so a sequence of
 * commands is already a scenario.
 */
import type { Command } from 'fast-check';
import type { Applicability, Outcome } from '../../sim/api';
import type { Model } from '../model';
import type { Real } from '../real';

export type Keyword = 'Given' | 'When';

export abstract class ExploreCommand implements Command<Model, Real> {
  abstract readonly keyword: Keyword;
  /** A stable id for paths and replay: `open-mdev:m1:g1`. */
  abstract readonly id: string;
  /** Observes without changing state (the breadth-first search skips it). */
  readonly observation: boolean = false;
  /** A host fact chosen before the kernel runs (only while the model is in its host phase). */
  readonly hostChoice: boolean = false;

  /** The step text after the keyword. */
  abstract text(): string;
  /** Whether the operation can do anything in this model state (false: skip, as fast-check does). */
  protected abstract enabled(m: Readonly<Model>): boolean;
  /** Drive the System; update the model from what happened. */
  protected abstract apply(m: Model, r: Real): void;

  check(m: Readonly<Model>): boolean {
    if (this.hostChoice && !m.hostPhase) return false;
    return this.enabled(m);
  }

  run(m: Model, r: Real): void {
    this.apply(m, r);
    m.steps++;
    if (!this.hostChoice) m.hostPhase = false;
  }

  toString(): string {
    return `${this.keyword} ${this.text()}`;
  }

  /** A When's outcome, remembered for `Then it fails with ...`. */
  protected act<T>(r: Real, outcome: Outcome<T>): Outcome<T> {
    r.last = { kind: 'outcome', op: this.id, outcome };
    return outcome;
  }

  /** A Given's outcome: a refusal makes the sequence invalid (the scenario would fail right there). */
  protected given<T>(r: Real, outcome: Outcome<T>): Outcome<T> {
    r.last = { kind: 'outcome', op: this.id, outcome };
    if (!outcome.ok) r.refusedGiven = true;
    return outcome;
  }

  /** A Given that describes the host: one the policy's kernel cannot have makes the sequence not applicable. */
  protected applicable(r: Real, a: Applicability): boolean {
    if (a.applicable) return true;
    r.refusedGiven = true;
    r.notApplicable = a.reason;
    return false;
  }
}

/** Names are used in order (m1 before m2): sequences that differ only by renaming are explored once. */
export function nameAvailable(index: number, used: number): boolean {
  return index <= used;
}

/**
 * A VMM or QEMU action on one mediated device and one guest (open, hot plug, unplug, taking the
 * group out of the KVM): the pair is its arguments, and `<kind>:<mdev>:<guest>` its id.
 */
export abstract class MdevGuestCommand extends ExploreCommand {
  readonly keyword = 'When';
  readonly id: string;
  constructor(
    kind: string,
    readonly mdev: string,
    readonly guest: string,
  ) {
    super();
    this.id = `${kind}:${mdev}:${guest}`;
  }
}
