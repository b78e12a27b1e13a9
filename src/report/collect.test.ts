/**
 * collectRun on hand-made cucumber messages: the one scenario attachment per scenario becomes the
 * cell's steps with their events, a not-applicable reason becomes the n.a. verdict, a pinned
 * scenario says why it was skipped, and a failure message loses the trace tail the panel shows anyway.
 */
import { AttachmentContentEncoding, TestStepResultStatus, type Envelope } from '@cucumber/messages';
import { describe, expect, it } from 'vitest';
import { SCENARIO_ATTACHMENT_VERSION, SCENARIO_MEDIA_TYPE, serializeScenarioAttachment, type ScenarioAttachment } from '../contract/scenario-attachment';
import { collectRun } from './collect';

const STEPS = [
  ['Given ', 'an s390 host'],
  ['When ', 'the vfio_ap module is loaded'],
  ['Then ', 'it fails with ENODEV'],
] as const;

const EVENTS: ScenarioAttachment['events'] = [
  { type: 'call', layer: 'firmware', fn: 'machine', detail: 'host', outcome: '' },
  { type: 'decision', layer: 'vfio-ap', fn: 'vfio_ap_init', point: 'vfio_ap.init', option: 'ap-instructions', branch: 'accept', detail: '', outcome: '0' },
  { type: 'call', layer: 'vfio-ap', fn: 'vfio_ap_init', detail: 'loaded', outcome: '0' },
];

type StepResult = { status: TestStepResultStatus; message?: string };

function envelopes(results: StepResult[], attachment?: Partial<ScenarioAttachment>, stepTexts: readonly (readonly [string, string])[] = STEPS): Envelope[] {
  const uri = 'features/thread/R1.feature';
  const steps = stepTexts.map(([keyword, text], i) => ({ id: `s${i}`, keyword, text, location: { line: 4 + i }, keywordType: undefined }));
  const full: ScenarioAttachment = { version: SCENARIO_ATTACHMENT_VERSION, policy: 'v10', hostKvm: 'linux-4.20', events: EVENTS, stepStarts: [0, 1, 3].slice(0, results.filter((r) => r.status !== TestStepResultStatus.SKIPPED || attachment?.notApplicable).length || 1), decisionsTaken: { 'vfio_ap.init=ap-instructions:accept': 1 }, ...attachment };
  return [
    {
      gherkinDocument: {
        uri,
        comments: [],
        feature: {
          location: { line: 1 }, tags: [], language: 'en', keyword: 'Feature', name: 'R1 x', description: '',
          children: [{ scenario: { id: 'sc', location: { line: 3 }, tags: [], keyword: 'Scenario', name: 'S', description: '', steps: steps as never, examples: [] } }],
        },
      },
    },
    { pickle: { id: 'p', uri, name: 'S', language: 'en', astNodeIds: ['sc'], tags: [], steps: steps.map((s, i) => ({ id: `ps${i}`, text: s.text, astNodeIds: [s.id] })) } },
    { testCase: { id: 'tc', pickleId: 'p', testSteps: steps.map((_, i) => ({ id: `ts${i}`, pickleStepId: `ps${i}` })) } },
    { testCaseStarted: { id: 'tcs', testCaseId: 'tc', attempt: 0, timestamp: { seconds: 0, nanos: 0 } } },
    ...results.map((r, i) => ({
      testStepFinished: { testCaseStartedId: 'tcs', testStepId: `ts${i}`, testStepResult: { status: r.status, duration: { seconds: 0, nanos: 0 }, ...(r.message ? { message: r.message } : {}) }, timestamp: { seconds: 0, nanos: 0 } },
    })),
    { attachment: { testCaseStartedId: 'tcs', mediaType: SCENARIO_MEDIA_TYPE, body: serializeScenarioAttachment(full), contentEncoding: AttachmentContentEncoding.IDENTITY } },
    { testCaseFinished: { testCaseStartedId: 'tcs', willBeRetried: false, timestamp: { seconds: 0, nanos: 0 } } },
  ] as Envelope[];
}

const { PASSED, FAILED, SKIPPED } = TestStepResultStatus;

describe('collectRun', () => {
  it('identifies the scenario by file and line, and nests each event under the step that caused it', () => {
    const run = collectRun(envelopes([{ status: PASSED }, { status: PASSED }, { status: FAILED, message: 'expected ENODEV, got 0\nLast 2 of 3 trace events (policy v10):\n  [vfio-ap] a\n  [vfio-ap] b' }]));
    expect(run.runErrors).toEqual([]);
    const [s] = run.scenarios;
    expect(s.id).toBe('features/thread/R1.feature:3');
    expect(s.steps).toEqual(['Given an s390 host', 'When the vfio_ap module is loaded', 'Then it fails with ENODEV']);
    expect(s.cell.steps?.map((st) => [st.status, st.events.length])).toEqual([['passed', 1], ['passed', 2], ['failed', 0]]);
    expect(s.cell.error).toBe('expected ENODEV, got 0'); // the trace tail is in the steps already
    expect(s.cell.failingStep).toBe('Then it fails with ENODEV');
  });

  it('makes a scenario a step ended as not applicable an n.a. cell with the reason, never a failure', () => {
    const run = collectRun(envelopes([{ status: PASSED }, { status: SKIPPED }, { status: SKIPPED }], { notApplicable: { reason: 'linux-4.20 has no guest_matrix attribute (added in Linux 6.0)' } }));
    expect(run.scenarios[0].cell).toMatchObject({ status: 'not-applicable', reason: 'linux-4.20 has no guest_matrix attribute (added in Linux 6.0)' });
  });

  it('says why a scenario pinned to another policy was skipped', () => {
    const pinned = [['Given ', 'the policy "v11"'], ['Given ', 'an s390 host'], ['Then ', 'it fails with ENODEV']] as const;
    const run = collectRun(envelopes([{ status: SKIPPED }, { status: SKIPPED }, { status: SKIPPED }], { stepStarts: [0], events: [] }, pinned));
    expect(run.scenarios[0].cell).toMatchObject({ status: 'skipped', reason: 'pinned to policy v11 by: Given the policy "v11"' });
  });

  it('fails the run, naming the scenario, when its attachment cannot be read', () => {
    const bad = envelopes([{ status: PASSED }, { status: PASSED }, { status: PASSED }]);
    const att = bad.find((e) => e.attachment)!.attachment!;
    (att as { body: string }).body = JSON.stringify({ version: 1 });
    expect(collectRun(bad).runErrors).toEqual([expect.stringMatching(/^features\/thread\/R1\.feature:3: its application\/vnd\.apspec\.scenario\+json attachment is unreadable: version 1/)]);
  });
});
