/**
 * Scenario hooks.
 *
 * - BeforeStep: remember the step's text, so outcomes and failures can name the action.
 * - After: attach the scenario's trace (for the report: media type
 *   `application/vnd.apspec.trace+json`, and as plain text for people), then fail the scenario if the
 *   simulated host kernel crashed: every scenario implicitly ends with "the host kernel has not
 *   crashed" (spec/steps.md, "Outcomes and health").
 */
import { After, BeforeStep, Status } from '@cucumber/cucumber';
import { TRACE_MEDIA_TYPE } from '../../src/report/types';
import { formatEvent } from '../../src/sim/trace';
import type { ApWorld } from './world';

// The report (src/report/collect.ts) reads the TRACE_MEDIA_TYPE attachment and the text/plain trace
// attached just before it; keep the shape.

BeforeStep(function (this: ApWorld, { pickleStep }) {
  this.currentStep = pickleStep.text;
  this.currentStepType = (pickleStep.type ?? 'Unknown') as ApWorld['currentStepType'];
});

After(function (this: ApWorld, { result }) {
  if (!this.hasHost) return;
  const sys = this.sys;
  // The trace once, as the lines formatEvent prints: the text attachment is what every report
  // (cucumber's own and apspec's) shows and a reviewer pastes. The JSON attachment carries what is
  // not in the text: the decision counts (decision coverage) and the oops, if any.
  this.attach(sys.events.map(formatEvent).join('\n'), { mediaType: 'text/plain' });
  this.attach(
    JSON.stringify({ policy: this.policy.id, hostKvm: sys.hostKvm, decisionsTaken: Object.fromEntries(sys.decisionsTaken), oops: sys.oops ?? null }),
    { mediaType: TRACE_MEDIA_TYPE },
  );
  // A scenario whose own steps already failed (typically on the crash itself) is not failed twice.
  if (sys.oops && result?.status !== Status.FAILED) throw this.failure(`the host kernel crashed: oops in ${sys.oops.fn} (${formatEvent(sys.oops)})`);
});
