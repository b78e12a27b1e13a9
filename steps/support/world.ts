/**
 * ApWorld: the state of one scenario.
 *
 * It holds one simulated System (created by `Given an s390 host`), the policy the run chose
 * (world parameter `policy`, default v11), and `last`: the outcome of the last `When`, which the
 * outcome steps (`Then it fails with EBUSY`) judge. It also owns the wording of every failure, so
 * that each one says what was expected, what the simulated kernel did, and the end of the trace.
 */
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { AssertionError } from 'chai';
import { type Policy, type Outcome, type Refusal, formatRc, formatTrace, createSystem, type InstructionResult, type SystemApi } from '../../src/sim/api';
import { DEFAULT_POLICY_ID, getPolicy } from '../../src/policies';
import { stepError, teach } from './errors';

export interface ApWorldParameters {
  /** A policy id from src/policies/index.ts; `v11` when absent. */
  readonly policy?: string;
}

/** What the last `When` did, for the `Then it ...` steps. */
export type LastAction =
  | { readonly kind: 'outcome'; readonly action: string; readonly outcome: Outcome<unknown> }
  | { readonly kind: 'instruction'; readonly action: string; readonly result: InstructionResult };

/** How many trace lines a failure message shows. */
const TRACE_TAIL = 8;

export class ApWorld extends World<ApWorldParameters> {
  readonly policy: Policy;
  /** The text of the step now running (set by the BeforeStep hook), to name the action in messages. */
  currentStep = '';
  /**
   * Whether the running step was written as a Given (`Context`), a When (`Action`) or a Then
   * (`Outcome`); And/But take the type of the step before. Cucumber matches step text whatever the
   * keyword, so one definition serves `Given guest "g1" is started with ...` and `When guest "g1" is
   * started with ...`: written as a Given, its refusal fails the scenario as a precondition.
   */
  currentStepType: 'Context' | 'Action' | 'Outcome' | 'Unknown' = 'Unknown';
  last: LastAction | undefined;
  /**
   * Set by a step that finds the scenario cannot exist under this policy (a host property the release
   * cannot have, an attribute it does not define yet: kernels.md, "Not applicable is a verdict").
   * Use `notApplicableBecause`; the After hook attaches the reason and the report shows "n.a.".
   */
  notApplicable: { readonly reason: string } | undefined;
  private system: SystemApi | undefined;

  constructor(options: IWorldOptions<ApWorldParameters>) {
    super(options);
    const id = options.parameters?.policy ?? DEFAULT_POLICY_ID;
    try {
      this.policy = getPolicy(id);
    } catch (err) {
      throw teach(`world parameter "policy": ${(err as Error).message}`);
    }
  }

  /**
   * End the scenario as not applicable under this policy: `return this.notApplicableBecause('...')`
   * from a step. Cucumber records the step as skipped (the rest do not run); the reason says why,
   * e.g. "linux-4.20 has no guest_matrix attribute (added in Linux 6.0)".
   */
  notApplicableBecause(reason: string): 'skipped' {
    this.notApplicable = { reason };
    return 'skipped';
  }

  /** The simulated host; a step that needs it before `Given an s390 host` gets told so. */
  get sys(): SystemApi {
    if (!this.system) throw stepError('no host has been described yet: start the scenario with  Given an s390 host');
    return this.system;
  }

  /** True once `Given an s390 host` ran (the After hook attaches a trace only then). */
  get hasHost(): boolean {
    return this.system !== undefined;
  }

  /** `Given an s390 host`: one System per scenario, under this run's policy. */
  createHost(): SystemApi {
    if (this.system)
      throw stepError('the scenario describes the s390 host twice: write  Given an s390 host  (or its "without AP instructions" form) once, first.');
    this.system = createSystem({ policy: this.policy });
    return this.system;
  }

  /**
   * A `When` that returns an Outcome: remember it for `Then it succeeds / it fails with ...`. Written
   * as a `Given`, the same step is a precondition: a refusal fails the scenario.
   */
  act(outcome: Outcome<unknown>): void {
    this.last = { kind: 'outcome', action: this.currentStep, outcome };
    if (this.currentStepType === 'Context') this.require(`"${this.currentStep}"`, outcome);
  }

  /** A `When` in which the guest executes an instruction. */
  actInstruction(result: InstructionResult): void {
    this.last = { kind: 'instruction', action: this.currentStep, result };
  }

  /** A `Given` precondition: a refusal fails the scenario as "precondition failed". */
  require<T>(what: string, outcome: Outcome<T>): T {
    if (outcome.ok) return outcome.value;
    throw this.failure(
      outcome.errno
        ? `precondition failed: ${what} was refused: ${describeRefusal(outcome)}`
        : `precondition failed: ${what} was refused ${describeRefusal(outcome)}`,
    );
  }

  /**
   * Run a chai assertion; if it fails, fail the step with `explanation` (what was expected and what
   * the simulated stack holds) and the end of the trace instead of chai's bare comparison.
   */
  check(assertion: () => void, explanation: () => string): void {
    try {
      assertion();
    } catch (err) {
      if (err instanceof AssertionError) throw this.failure(explanation());
      throw err;
    }
  }

  /** The last `When`, or a message saying a `When` must come first. */
  lastAction(): LastAction {
    if (!this.last)
      throw stepError(
        `"${this.currentStep}" judges the last action, but no When step ran yet: put a When step (e.g.  When the vfio_ap module is loaded) before it.`,
      );
    return this.last;
  }

  /** The last `When`, which must have been an AP instruction (the instruction steps judge it). */
  lastInstruction(): Extract<LastAction, { kind: 'instruction' }> {
    const last = this.lastAction();
    if (last.kind !== 'instruction')
      throw this.failure(
        `"${this.currentStep}" judges an AP instruction, but the last action was "${last.action}": put  When guest "g1" executes PQAP(TAPQ) on 02.0004  before it.`,
      );
    return last;
  }

  /** An Error with `message`, the policy and the last trace lines; no JavaScript stack. */
  failure(message: string): Error {
    return teach(`${message}\n${this.traceTail()}`);
  }

  /** The last few trace events, indented, for failure messages. */
  traceTail(n = TRACE_TAIL): string {
    if (!this.system) return `(policy ${this.policy.id}; no host, so no trace)`;
    const events = this.system.events;
    if (events.length === 0) return `(policy ${this.policy.id}; the trace is empty)`;
    const shown = events.slice(-n);
    const header = `Last ${shown.length} of ${events.length} trace events (policy ${this.policy.id}):`;
    return `${header}\n${formatTrace(shown)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n')}`;
  }
}

/**
 * `-EADDRNOTAVAIL by vfio_ap_mdev_verify_queues_reserved_for_apid (message)`, or for a userspace
 * refusal without an errno (QEMU's) `by s390_ap_bus_device_add (message)`.
 */
export function describeRefusal(r: Refusal): string {
  return `${r.errno ? `-${r.errno} ` : ''}by ${r.fn} (${r.message})`;
}

/** What an Outcome was, in a sentence: `it returned 0` / `it failed with -EBUSY by ... (...)`. */
export function explainOutcome(outcome: Outcome<unknown>): string {
  if (outcome.ok) return 'the simulated stack accepted it (returned 0)';
  return outcome.errno ? `it failed with ${describeRefusal(outcome)}` : `it was refused, without an errno, ${describeRefusal(outcome)}`;
}

/** What the guest saw: `cc 3, response code 0x01` / `a specification exception`. */
export function describeInstruction(result: InstructionResult): string {
  return result.kind === 'completed'
    ? `it completed with condition code ${result.cc} and response code ${formatRc(result.rc)}`
    : `the guest received ${result.exception === 'operation' ? 'an' : 'a'} ${result.exception} exception`;
}

setWorldConstructor(ApWorld);
