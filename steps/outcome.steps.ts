/**
 * Outcomes and health: what the last `When` returned, and whether the host kernel survived
 * (spec/steps.md, "Outcomes and health").
 */
import { expect } from 'chai';
import { formatEvent, type Errno, type Outcome } from '../src/sim/api';
import { step } from './support/define';
import { explainOutcome, type ApWorld, type LastAction } from './support/world';

/** The last action's Outcome; an instruction has none (it completes or raises an exception). */
function lastOutcome(world: ApWorld): { last: LastAction; outcome: Outcome<unknown> } {
  const last = world.lastAction();
  if (last.kind !== 'outcome')
    throw world.failure(
      `"${world.currentStep}" judges a kernel or QEMU operation, but the last action "${last.action}" was an AP instruction: ` +
        'judge it with  Then the instruction completes with response code 0x00  or  Then the guest receives an operation exception.',
    );
  return { last, outcome: last.outcome };
}

step(
  'Then',
  'it succeeds',
  {
    meaning: 'The last When was accepted (the kernel returned 0, or QEMU did it).',
    example: 'Then it succeeds',
  },
  function (this: ApWorld) {
    const { last, outcome } = lastOutcome(this);
    this.check(
      () => expect(outcome.ok).to.equal(true),
      () => `expected "${last.action}" to succeed, but ${explainOutcome(outcome)}`,
    );
  },
);

step(
  'Then',
  'it fails with {errno}',
  {
    meaning: 'The last When was refused with exactly this errno.',
    example: 'Then it fails with EADDRINUSE',
  },
  function (this: ApWorld, errno: Errno) {
    const { last, outcome } = lastOutcome(this);
    this.check(
      () => expect(outcome.ok ? undefined : outcome.errno).to.equal(errno),
      () => `expected "${last.action}" to fail with ${errno}, but ${explainOutcome(outcome)}`,
    );
  },
);

step(
  'Then',
  'it fails',
  {
    meaning: "The last When was refused, with any errno or by QEMU (QEMU's refusals carry a message, not an errno).",
    example: 'Then it fails',
  },
  function (this: ApWorld) {
    const { last, outcome } = lastOutcome(this);
    this.check(
      () => expect(outcome.ok).to.equal(false),
      () => `expected "${last.action}" to fail, but ${explainOutcome(outcome)}`,
    );
  },
);

step(
  'Then',
  'the host kernel has not crashed',
  {
    meaning: 'No oops so far (every scenario also checks this after its last step).',
    example: 'Then the host kernel has not crashed',
  },
  function (this: ApWorld) {
    const oops = this.sys.oops;
    this.check(
      () => expect(oops).to.equal(undefined),
      () => `expected the host kernel not to have crashed, but it crashed: oops in ${oops!.fn} (${formatEvent(oops!)})`,
    );
  },
);
