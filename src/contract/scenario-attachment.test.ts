import { describe, expect, it } from 'vitest';
import { parseScenarioAttachment, SCENARIO_ATTACHMENT_VERSION, serializeScenarioAttachment, type ScenarioAttachment } from './scenario-attachment';

const attachment: ScenarioAttachment = {
  version: SCENARIO_ATTACHMENT_VERSION,
  policy: 'linux-4.20',
  hostKvm: 'linux-4.20',
  events: [
    { type: 'call', layer: 'ap-bus', fn: 'ap_module_init', detail: '', outcome: '0' },
    { type: 'decision', layer: 'vfio-ap', fn: 'vfio_ap_init', point: 'vfio_ap.init', option: 'ap-instructions', branch: 'reject', detail: '', outcome: '-ENODEV' },
    { type: 'vm-event', layer: 'kvm', vm: 'g1', fn: 'kvm_arch_crypto_set_masks', detail: 'SET CRYCB', outcome: '' },
    { type: 'oops', layer: 'kvm', fn: 'kvm_arch_crypto_set_masks', detail: 'crycb is NULL', outcome: 'oops' },
  ],
  stepStarts: [0, 1, 1, 4],
  decisionsTaken: { 'vfio_ap.init=ap-instructions:reject': 1 },
  notApplicable: { reason: 'linux-4.20 has no guest_matrix attribute (added in Linux 6.0)' },
};

describe('the scenario attachment (steps -> report)', () => {
  it('reads back exactly what the steps wrote', () => {
    expect(parseScenarioAttachment(serializeScenarioAttachment(attachment))).toEqual({ ok: true, value: attachment });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['another version', JSON.stringify({ ...attachment, version: 1 }), /version 1, expected 2/],
    ['an event of an unknown type', JSON.stringify({ ...attachment, events: [{ ...attachment.events[0], type: 'x' }] }), /events\[0\]: unknown event type "x"/],
    ['an event whose detail is not text', JSON.stringify({ ...attachment, events: [{ ...attachment.events[0], detail: {} }] }), /events\[0\]: "detail" is not a string/],
    ['a decision with an unknown branch', JSON.stringify({ ...attachment, events: [{ ...attachment.events[1], branch: 'maybe' }] }), /unknown branch "maybe"/],
    ['step starts past the trace', JSON.stringify({ ...attachment, stepStarts: [0, 9] }), /stepStarts/],
    ['step starts going backwards', JSON.stringify({ ...attachment, stepStarts: [2, 1] }), /stepStarts/],
    ['a reason that is not text', JSON.stringify({ ...attachment, notApplicable: { reason: 1 } }), /notApplicable/],
  ])('refuses %s, naming the field', (_what, body, message) => {
    const parsed = parseScenarioAttachment(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(message);
  });
});
