/**
 * Scenario hooks.
 *
 * - BeforeStep: remember the step's text, so outcomes and failures can name the action, and where
 *   in the trace the step starts, so the report can nest each event under the step that caused it.
 * - After: attach the scenario (src/contract/scenario-attachment.ts: the structured trace, the step
 *   boundaries, the decision counts, and why the scenario is not applicable when a step said so),
 *   then fail the scenario if the simulated host kernel crashed: every scenario implicitly ends with
 *   "the host kernel has not crashed" (spec/steps.md, "Outcomes and health").
 */
import { After, BeforeStep, Status } from '@cucumber/cucumber';
import { SCENARIO_ATTACHMENT_VERSION, SCENARIO_MEDIA_TYPE, serializeScenarioAttachment } from '../../src/contract/scenario-attachment';
import { formatEvent } from '../../src/sim/api';
import type { ApWorld } from './world';

/** Per scenario: the trace length when each step started. A number per step keeps the hook cheap. */
const stepStarts = new WeakMap<ApWorld, number[]>();

BeforeStep(function (this: ApWorld, { pickleStep }) {
  this.currentStep = pickleStep.text;
  this.currentStepType = (pickleStep.type ?? 'Unknown') as ApWorld['currentStepType'];
  let starts = stepStarts.get(this);
  if (!starts) stepStarts.set(this, (starts = []));
  starts.push(this.hasHost ? this.sys.events.length : 0);
});

After(function (this: ApWorld, { result }) {
  const sys = this.hasHost ? this.sys : undefined;
  // Always attached, even without a host: a pinned or not-applicable scenario still says why.
  this.attach(
    serializeScenarioAttachment({
      version: SCENARIO_ATTACHMENT_VERSION,
      policy: this.policy.id,
      hostKvm: sys ? sys.hostKvm : null,
      events: sys ? sys.events : [],
      stepStarts: stepStarts.get(this) ?? [],
      decisionsTaken: sys ? Object.fromEntries(sys.decisionsTaken) : {},
      ...(this.notApplicable ? { notApplicable: { reason: this.notApplicable.reason } } : {}),
    }),
    { mediaType: SCENARIO_MEDIA_TYPE },
  );
  // A scenario whose own steps already failed (typically on the crash itself) is not failed twice.
  if (sys?.oops && result?.status !== Status.FAILED) throw this.failure(`the host kernel crashed: oops in ${sys.oops.fn} (${formatEvent(sys.oops)})`);
});
